package kubernetes

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// Pod is one pod of a StatefulSet, as its collector container would see it.
type Pod struct {
	Name        string // <StatefulSet name>-<ordinal>
	StatefulSet *appsv1.StatefulSet
	Container   *corev1.Container
	// Env is the container's environment. A value from a Secret is SecretPlaceholder(secret, key): the
	// manifests never hold the secret itself.
	Env map[string]string
	// SecretEnv names the variables whose value comes from a Secret.
	SecretEnv map[string]bool
	// ConfigFiles are the files of the container's --config arguments, in order.
	ConfigFiles []ConfigFile
	// Config is ConfigFiles merged as the collector merges them.
	Config map[string]any
}

// ConfigFile is a collector configuration file a pod reads from a ConfigMap.
type ConfigFile struct {
	Path      string // in the container
	ConfigMap string
	Key       string
	Data      string
}

// SecretPlaceholder stands for the value of a Secret's key in a Pod's environment.
func SecretPlaceholder(secret, key string) string {
	return "placeholder-for-secret-" + secret + "-" + key
}

// Pods lists the pods of every StatefulSet of m, ordinal 0 to replicas-1, each with its configuration.
// A --config file that no ConfigMap volume provides is an error naming the pod and the file.
func (m *Manifests) Pods() ([]*Pod, error) {
	var pods []*Pod
	for _, s := range m.StatefulSets {
		if len(s.Spec.Template.Spec.Containers) != 1 {
			return nil, fmt.Errorf("StatefulSet %s: expected one container (the collector), found %d", s.Name, len(s.Spec.Template.Spec.Containers))
		}
		replicas := int32(1)
		if s.Spec.Replicas != nil {
			replicas = *s.Spec.Replicas
		}
		for i := range replicas {
			p, err := m.pod(s, fmt.Sprintf("%s-%d", s.Name, i))
			if err != nil {
				return nil, err
			}
			pods = append(pods, p)
		}
	}
	return pods, nil
}

func (m *Manifests) pod(s *appsv1.StatefulSet, name string) (*Pod, error) {
	c := &s.Spec.Template.Spec.Containers[0]
	p := &Pod{Name: name, StatefulSet: s, Container: c, Env: map[string]string{}, SecretEnv: map[string]bool{}}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			p.Env[e.Name] = expand(e.Value, p.Env)
		case e.ValueFrom.SecretKeyRef != nil:
			p.Env[e.Name] = SecretPlaceholder(e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key)
			p.SecretEnv[e.Name] = true
		case e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "metadata.name":
			p.Env[e.Name] = name
		default:
			return nil, fmt.Errorf("pod %s: env %s: only a value, a secretKeyRef or the fieldRef metadata.name are understood by this check", name, e.Name)
		}
	}
	args := make([]string, 0, len(c.Command)+len(c.Args))
	for _, a := range append(append([]string{}, c.Command...), c.Args...) {
		args = append(args, expand(a, p.Env))
	}
	for _, f := range configArgs(args) {
		cf, err := m.configFile(s, c, f)
		if err != nil {
			return nil, fmt.Errorf("pod %s: --config=%s: %w", name, f, err)
		}
		p.ConfigFiles = append(p.ConfigFiles, cf)
	}
	if len(p.ConfigFiles) == 0 {
		return nil, fmt.Errorf("pod %s: no --config=<file> in the container's args", name)
	}
	merged := map[string]any{}
	for _, f := range p.ConfigFiles {
		var cfg map[string]any
		if err := yaml.Unmarshal([]byte(f.Data), &cfg); err != nil {
			return nil, fmt.Errorf("pod %s: %s (ConfigMap %s, key %s): %w", name, f.Path, f.ConfigMap, f.Key, err)
		}
		merge(merged, cfg)
	}
	p.Config = merged
	return p, nil
}

var envReference = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// expand replaces $(NAME) with the value of an earlier variable, as Kubernetes does in env values and
// args; a reference to an undefined variable stays as written.
func expand(s string, env map[string]string) string {
	return envReference.ReplaceAllStringFunc(s, func(ref string) string {
		if v, ok := env[ref[2:len(ref)-1]]; ok {
			return v
		}
		return ref
	})
}

var providerURI = regexp.MustCompile(`^[a-z]+:`)

// configArgs returns the file paths of --config=<file> and --config <file>; a provider URI (env:, yaml:)
// is not a file.
func configArgs(args []string) []string {
	var files []string
	for i := 0; i < len(args); i++ {
		var v string
		switch {
		case strings.HasPrefix(args[i], "--config="):
			v = strings.TrimPrefix(args[i], "--config=")
		case args[i] == "--config" && i+1 < len(args):
			i++
			v = args[i]
		default:
			continue
		}
		if f, ok := strings.CutPrefix(v, "file:"); ok {
			files = append(files, f)
		} else if !providerURI.MatchString(v) {
			files = append(files, v)
		}
	}
	return files
}

// configFile finds the ConfigMap key mounted at file in the container.
func (m *Manifests) configFile(s *appsv1.StatefulSet, c *corev1.Container, file string) (ConfigFile, error) {
	dir, key := path.Split(path.Clean(file))
	for _, vm := range c.VolumeMounts {
		if path.Clean(vm.MountPath) != path.Clean(dir) || vm.SubPath != "" {
			continue
		}
		for _, v := range s.Spec.Template.Spec.Volumes {
			if v.Name != vm.Name {
				continue
			}
			if v.ConfigMap == nil || len(v.ConfigMap.Items) > 0 {
				return ConfigFile{}, fmt.Errorf("volume %s at %s is not a whole ConfigMap", v.Name, vm.MountPath)
			}
			cm := m.ConfigMap(v.ConfigMap.Name)
			if cm == nil {
				return ConfigFile{}, fmt.Errorf("volume %s mounts ConfigMap %s, which is not in %s", v.Name, v.ConfigMap.Name, m.Dir)
			}
			data, ok := cm.Data[key]
			if !ok {
				return ConfigFile{}, fmt.Errorf("ConfigMap %s (mounted at %s) has no key %s: add it, or lower the replicas", cm.Name, vm.MountPath, key)
			}
			return ConfigFile{Path: file, ConfigMap: cm.Name, Key: key, Data: data}, nil
		}
		return ConfigFile{}, fmt.Errorf("volume mount %s has no volume", vm.Name)
	}
	return ConfigFile{}, fmt.Errorf("no ConfigMap volume is mounted at %s", dir)
}

// merge merges src into dst as the collector merges its --config files: maps key by key, anything else
// (lists too) replaced.
func merge(dst, src map[string]any) {
	for k, v := range src {
		if sv, ok := v.(map[string]any); ok {
			if dv, ok := dst[k].(map[string]any); ok {
				merge(dv, sv)
				continue
			}
		}
		dst[k] = v
	}
}
