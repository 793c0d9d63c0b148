package kubernetes

import (
	"errors"
	"fmt"
	"net"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Check verifies the invariants of the manifests of one or more layouts deployed side by side; the
// error lists every violation, each naming the object and what to change.
func Check(layouts ...*Manifests) error {
	var errs []error
	var all []*Pod
	for _, m := range layouts {
		errs = append(errs, checkNamespaces(m)...)
		pods, err := m.Pods()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, checkConfigMapsRead(m, pods)...)
		for _, s := range m.StatefulSets {
			errs = append(errs, checkPodSpec(s)...)
		}
		for _, p := range pods {
			errs = append(errs, checkStorage(p)...)
			errs = append(errs, checkSecrets(p)...)
			errs = append(errs, checkProbes(p)...)
			errs = append(errs, checkMetrics(m, p)...)
			errs = append(errs, checkResources(p)...)
		}
		all = append(all, pods...)
	}
	errs = append(errs, checkOrgsReadOnce(all)...)
	return errors.Join(errs...)
}

// checkNamespaces: the manifests go into whatever namespace they are applied to.
func checkNamespaces(m *Manifests) []error {
	var errs []error
	var names []string
	for _, s := range m.StatefulSets {
		names = append(names, s.Namespace)
	}
	for _, c := range m.ConfigMaps {
		names = append(names, c.Namespace)
	}
	for _, s := range m.Services {
		names = append(names, s.Namespace)
	}
	for _, n := range names {
		if n != "" {
			errs = append(errs, fmt.Errorf("%s: metadata.namespace %q is set: leave it out, so that `kubectl apply -n` chooses", m.Dir, n))
		}
	}
	return errs
}

// checkOrgsReadOnce: two receivers reading one org would deliver every event twice and spend its rate
// limit twice, whether they are in one pod or in two (two replicas of one config, or two shards).
func checkOrgsReadOnce(pods []*Pod) []error {
	readers := map[string][]string{}
	for _, p := range pods {
		used := pipelineReceivers(p.Config)
		for _, id := range componentIDs(p.Config, "receivers", "okta") {
			if !used[id] {
				continue
			}
			org := orgHost(str(component(p.Config, "receivers", id), "endpoint"))
			readers[org] = append(readers[org], p.Name+" "+id)
		}
	}
	var errs []error
	for _, org := range sortedKeys(readers) {
		if r := readers[org]; len(r) > 1 {
			errs = append(errs, fmt.Errorf("org %s is read by %d receivers (%s): each org must be read by exactly one receiver in one replica", org, len(r), strings.Join(r, ", ")))
		}
	}
	return errs
}

// checkConfigMapsRead: every configuration file is read by some pod; a shard file no replica reads is
// a set of orgs nobody collects.
func checkConfigMapsRead(m *Manifests, pods []*Pod) []error {
	read := map[string]bool{}
	for _, p := range pods {
		for _, f := range p.ConfigFiles {
			read[f.ConfigMap+"/"+f.Key] = true
		}
	}
	var errs []error
	for _, cm := range m.ConfigMaps {
		for _, key := range sortedKeys(cm.Data) {
			if !read[cm.Name+"/"+key] {
				errs = append(errs, fmt.Errorf("ConfigMap %s: no pod reads %s: raise the StatefulSet's replicas to cover it, or move its orgs to a shard that is read", cm.Name, key))
			}
		}
	}
	return errs
}

// checkStorage: every okta receiver keeps its checkpoint in a file_storage extension whose directory is
// the StatefulSet's persistent volume, and every okta receiver is in a pipeline.
func checkStorage(p *Pod) []error {
	var errs []error
	used := pipelineReceivers(p.Config)
	enabled := map[string]bool{}
	for _, e := range serviceExtensions(p.Config) {
		enabled[e] = true
	}
	for _, id := range sortedStrings(componentIDs(p.Config, "receivers", "okta")) {
		if !used[id] {
			errs = append(errs, fmt.Errorf("pod %s: receiver %s is in no pipeline: add it to service.pipelines or remove it", p.Name, id))
		}
		st := str(component(p.Config, "receivers", id), "storage")
		ext := component(p.Config, "extensions", st)
		switch {
		case st == "":
			errs = append(errs, fmt.Errorf("pod %s: receiver %s has no `storage`: set it to the file_storage extension, or every restart collects again from initial_lookback", p.Name, id))
		case strings.SplitN(st, "/", 2)[0] != "file_storage" || ext == nil:
			errs = append(errs, fmt.Errorf("pod %s: receiver %s: storage %q is not a file_storage extension of the configuration", p.Name, id, st))
		case !enabled[st]:
			errs = append(errs, fmt.Errorf("pod %s: receiver %s: storage extension %s is not in service.extensions", p.Name, id, st))
		default:
			errs = append(errs, checkOnVolume(p, st, str(ext, "directory"))...)
		}
	}
	return errs
}

// checkOnVolume: directory is exactly the mount path of one of the StatefulSet's volumeClaimTemplates.
func checkOnVolume(p *Pod, ext, directory string) []error {
	claims := map[string]bool{}
	for _, t := range p.StatefulSet.Spec.VolumeClaimTemplates {
		claims[t.Name] = true
	}
	for _, vm := range p.Container.VolumeMounts {
		if path.Clean(vm.MountPath) == path.Clean(directory) {
			if !claims[vm.Name] || vm.SubPath != "" || vm.ReadOnly {
				return []error{fmt.Errorf("pod %s: %s writes to %s, where %s is mounted, which is not a writable volumeClaimTemplate: the checkpoints would not survive the pod", p.Name, ext, directory, vm.Name)}
			}
			return nil
		}
	}
	return []error{fmt.Errorf("pod %s: %s writes to %s, where no volume is mounted: mount the volumeClaimTemplate there (or point directory at its mountPath)", p.Name, ext, directory)}
}

// secretKeys are the configuration keys that hold credentials.
var secretKeys = map[string]bool{"api_token": true, "private_key": true, "authorization": true, "api_key": true,
	"client_secret": true, "password": true, "token": true, "bearer_token": true}

// secretVarName is an environment variable name that says it holds a credential.
var secretVarName = regexp.MustCompile(`(?i)token|key|secret|password|credential`)

// authScheme is what may stand next to a ${env:…} reference in a credential: the scheme of a header.
var authScheme = regexp.MustCompile(`^\s*(Bearer|Basic|SSWS)?\s*$`)

// checkSecrets: no credential is written into a manifest. A credential in the configuration is a
// ${env:NAME} reference to a variable from a Secret (or a file: api_token_file, private_key_file), and a
// variable named like a credential comes from a Secret.
func checkSecrets(p *Pod) []error {
	var errs []error
	for _, e := range p.Container.Env {
		if secretVarName.MatchString(e.Name) && (e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil) {
			errs = append(errs, fmt.Errorf("pod %s: env %s holds a credential but does not come from a Secret: use valueFrom.secretKeyRef", p.Name, e.Name))
		}
	}
	walk(p.Config, "", func(keyPath, key, value string) {
		for _, name := range envReferences(value) {
			if _, ok := p.Env[name]; !ok {
				errs = append(errs, fmt.Errorf("pod %s: %s refers to ${env:%s}, which the container's env does not set", p.Name, keyPath, name))
			}
		}
		if !secretKeys[strings.ToLower(key)] {
			return
		}
		refs := envReferences(value)
		if len(refs) == 0 || !authScheme.MatchString(envPlaceholder.ReplaceAllString(value, "")) {
			errs = append(errs, fmt.Errorf("pod %s: %s is written into the ConfigMap: use ${env:NAME} with NAME from a Secret, or the matching *_file setting with a mounted Secret", p.Name, keyPath))
			return
		}
		for _, name := range refs {
			if !p.SecretEnv[name] {
				errs = append(errs, fmt.Errorf("pod %s: %s refers to ${env:%s}, which does not come from a Secret: use valueFrom.secretKeyRef", p.Name, keyPath, name))
			}
		}
	})
	return errs
}

// walk calls fn for every string value of cfg with its dotted key path and its own key.
func walk(v any, keyPath string, fn func(keyPath, key, value string)) {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(t) {
			walk(t[k], strings.TrimPrefix(keyPath+"."+k, "."), fn)
		}
	case []any:
		for i, e := range t {
			walk(e, fmt.Sprintf("%s[%d]", keyPath, i), fn)
		}
	case string:
		fn(keyPath, keyPath[strings.LastIndex(keyPath, ".")+1:], t)
	}
}

// checkProbes: liveness and readiness ask health_check, on its port and path.
func checkProbes(p *Pod) []error {
	hc := component(p.Config, "extensions", "health_check")
	if hc == nil || !contains(serviceExtensions(p.Config), "health_check") {
		return []error{fmt.Errorf("pod %s: the health_check extension is not enabled: the probes need it", p.Name)}
	}
	host, port, err := net.SplitHostPort(str(hc, "endpoint"))
	if err != nil || (host != "0.0.0.0" && host != "::" && host != "") {
		return []error{fmt.Errorf("pod %s: health_check endpoint %q: set it to 0.0.0.0:13133 so that the kubelet can reach it", p.Name, str(hc, "endpoint"))}
	}
	wantPath := str(hc, "path")
	if wantPath == "" {
		wantPath = "/"
	}
	var errs []error
	for name, probe := range map[string]*corev1.Probe{"livenessProbe": p.Container.LivenessProbe, "readinessProbe": p.Container.ReadinessProbe} {
		switch {
		case probe == nil || probe.HTTPGet == nil:
			errs = append(errs, fmt.Errorf("pod %s: no %s httpGet: point it at health_check (port %s, path %s)", p.Name, name, port, wantPath))
		case containerPort(p.Container, probe.HTTPGet.Port) != port || probe.HTTPGet.Path != wantPath:
			errs = append(errs, fmt.Errorf("pod %s: %s asks port %s path %q, but health_check answers on port %s path %q", p.Name, name, probe.HTTPGet.Port.String(), probe.HTTPGet.Path, port, wantPath))
		}
	}
	return errs
}

// checkMetrics: the collector's Prometheus endpoint listens on all addresses, on the container port
// named metrics, and a Service exposes that port.
func checkMetrics(m *Manifests, p *Pod) []error {
	named := containerPort(p.Container, intstr.FromString("metrics"))
	readers := prometheusReaders(p.Config)
	if len(readers) != 1 {
		return []error{fmt.Errorf("pod %s: expected one Prometheus reader in service.telemetry.metrics.readers, found %d", p.Name, len(readers))}
	}
	host, port, _ := net.SplitHostPort(readers[0])
	var errs []error
	if host != "0.0.0.0" && host != "::" {
		errs = append(errs, fmt.Errorf("pod %s: the collector's metrics listen on %s, which Prometheus cannot reach: set host: 0.0.0.0", p.Name, host))
	}
	if port != named {
		errs = append(errs, fmt.Errorf("pod %s: the collector's metrics are on port %s, the container port named metrics is %q", p.Name, port, named))
	}
	var svc *corev1.Service
	for _, s := range m.Services {
		if s.Name == p.StatefulSet.Spec.ServiceName {
			svc = s
		}
	}
	if svc == nil {
		return append(errs, fmt.Errorf("StatefulSet %s: its serviceName %q is not a Service of %s", p.StatefulSet.Name, p.StatefulSet.Spec.ServiceName, m.Dir))
	}
	for k, v := range svc.Spec.Selector {
		if p.StatefulSet.Spec.Template.Labels[k] != v {
			errs = append(errs, fmt.Errorf("the Service %s selects %s=%s, which the pods of %s do not carry", svc.Name, k, v, p.StatefulSet.Name))
		}
	}
	exposed := false
	for _, sp := range svc.Spec.Ports {
		exposed = exposed || containerPort(p.Container, sp.TargetPort) == port
	}
	if !exposed {
		errs = append(errs, fmt.Errorf("the Service %s does not expose the metrics port %s", svc.Name, port))
	}
	return errs
}

// containerPort resolves a port by name or number to the container's port number, "" if it has none.
func containerPort(c *corev1.Container, port intstr.IntOrString) string {
	for _, cp := range c.Ports {
		if (port.Type == intstr.String && cp.Name == port.StrVal) || (port.Type == intstr.Int && cp.ContainerPort == port.IntVal) {
			return strconv.Itoa(int(cp.ContainerPort))
		}
	}
	return ""
}

// checkResources: requests and limits of CPU and memory are set, requests at most the limits, and
// GOMEMLIMIT is 70–90 % of the memory limit, so that the GC works harder before the kernel kills.
func checkResources(p *Pod) []error {
	var errs []error
	r := p.Container.Resources
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, okReq := r.Requests[name]
		lim, okLim := r.Limits[name]
		switch {
		case !okReq || !okLim:
			errs = append(errs, fmt.Errorf("pod %s: set both the %s request and limit", p.Name, name))
		case req.Cmp(lim) > 0:
			errs = append(errs, fmt.Errorf("pod %s: the %s request %s is above its limit %s", p.Name, name, req.String(), lim.String()))
		}
	}
	lim, ok := r.Limits[corev1.ResourceMemory]
	if !ok {
		return errs
	}
	gml, err := parseGoMemLimit(p.Env["GOMEMLIMIT"])
	if err != nil {
		return append(errs, fmt.Errorf("pod %s: GOMEMLIMIT: %w; set it to about 80 %% of the memory limit %s", p.Name, err, lim.String()))
	}
	if ratio := float64(gml) / float64(lim.Value()); ratio < 0.7 || ratio > 0.9 {
		errs = append(errs, fmt.Errorf("pod %s: GOMEMLIMIT %s is %.0f %% of the memory limit %s: set it to about 80 %%", p.Name, p.Env["GOMEMLIMIT"], 100*ratio, lim.String()))
	}
	return errs
}

var goMemLimit = regexp.MustCompile(`^([0-9]+)(B|KiB|MiB|GiB|TiB)?$`)

// parseGoMemLimit reads GOMEMLIMIT as the Go runtime does (a number of bytes with an optional IEC unit).
func parseGoMemLimit(s string) (int64, error) {
	m := goMemLimit.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not set or not a size such as 200MiB", s)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, err
	}
	shift := map[string]uint{"": 0, "B": 0, "KiB": 10, "MiB": 20, "GiB": 30, "TiB": 40}[m[2]]
	return n << shift, nil
}

// checkPodSpec: the collector runs as a non-root user with a read-only root filesystem and no
// capabilities, and the volume is writable by its group.
func checkPodSpec(s *appsv1.StatefulSet) []error {
	var errs []error
	ps := s.Spec.Template.Spec.SecurityContext
	if ps == nil || ps.RunAsNonRoot == nil || !*ps.RunAsNonRoot || ps.RunAsUser == nil || *ps.RunAsUser == 0 || ps.FSGroup == nil {
		errs = append(errs, fmt.Errorf("StatefulSet %s: the pod securityContext needs runAsNonRoot: true, runAsUser (the image's 10001) and fsGroup (so the volume is writable)", s.Name))
	}
	for _, c := range s.Spec.Template.Spec.Containers {
		sc := c.SecurityContext
		if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
			sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
			sc.Capabilities == nil || !contains(capabilityNames(sc.Capabilities.Drop), "ALL") {
			errs = append(errs, fmt.Errorf("StatefulSet %s, container %s: the securityContext needs readOnlyRootFilesystem: true, allowPrivilegeEscalation: false and capabilities.drop: [ALL]", s.Name, c.Name))
		}
	}
	return errs
}

func capabilityNames(cs []corev1.Capability) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// MemoryLimit returns the memory limit of a pod's collector container.
func (p *Pod) MemoryLimit() resource.Quantity {
	return p.Container.Resources.Limits[corev1.ResourceMemory]
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}
