package kubernetes

import (
	"os"
	"regexp"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// layouts loads the shipped manifests afresh (the tests below change them).
func layouts(t *testing.T) (single, sharded *Manifests) {
	t.Helper()
	var err error
	if single, err = Load("single"); err != nil {
		t.Fatal(err)
	}
	if sharded, err = Load("sharded"); err != nil {
		t.Fatal(err)
	}
	return single, sharded
}

func TestShippedManifestsHoldEveryInvariant(t *testing.T) {
	single, sharded := layouts(t)
	if err := Check(single, sharded); err != nil {
		t.Fatal(err)
	}
}

func TestSingleLayoutIsOneReplica(t *testing.T) {
	single, _ := layouts(t)
	if len(single.StatefulSets) != 1 {
		t.Fatalf("single/ holds %d StatefulSets, want 1", len(single.StatefulSets))
	}
	if r := single.StatefulSets[0].Spec.Replicas; r == nil || *r != 1 {
		t.Fatalf("single/ StatefulSet replicas = %v, want 1", r)
	}
	pods, err := single.Pods()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(componentIDs(pods[0].Config, "receivers", "okta")); n < 2 {
		t.Fatalf("single/ reads %d orgs, want one receiver per org for several orgs", n)
	}
}

func TestShardedLayoutGivesEachReplicaItsOwnFile(t *testing.T) {
	_, sharded := layouts(t)
	pods, err := sharded.Pods()
	if err != nil {
		t.Fatal(err)
	}
	if len(pods) < 2 {
		t.Fatalf("sharded/ makes %d pods, want several", len(pods))
	}
	for _, p := range pods {
		last := p.ConfigFiles[len(p.ConfigFiles)-1]
		if last.Key != p.Name+".yaml" {
			t.Errorf("pod %s reads %s last, want its own %s.yaml", p.Name, last.Key, p.Name)
		}
		if len(componentIDs(p.Config, "receivers", "okta")) == 0 {
			t.Errorf("pod %s reads no org", p.Name)
		}
	}
}

// The image the manifests run is the version the distribution is built as.
func TestManifestsRunTheDistributionsVersion(t *testing.T) {
	b, err := os.ReadFile("../../builder-config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^  version: *(\S+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no dist version in builder-config.yaml")
	}
	want := "otelcol-okta:" + string(m[1])
	single, sharded := layouts(t)
	for _, l := range []*Manifests{single, sharded} {
		for _, s := range l.StatefulSets {
			if got := s.Spec.Template.Spec.Containers[0].Image; got != want {
				t.Errorf("%s StatefulSet %s runs %s, want %s (the version of builder-config.yaml)", l.Dir, s.Name, got, want)
			}
		}
	}
}

func TestLoadDecodesStrictly(t *testing.T) {
	for name, tc := range map[string]struct{ doc, want string }{
		"unknown field": {"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\nspec:\n  replica: 1\n", `unknown field "replica"`},
		"duplicate key": {"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\ndata: {c: d}\n", "already set in map"},
		"wrong type":    {"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\nspec: {replicas: one}\n", "cannot unmarshal"},
		"a Secret":      {"apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData: {token: abc}\n", `kind "Secret"`},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(dir+"/m.yaml", []byte("# comment only\n---\n"+tc.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "document 2") {
				t.Fatalf("Load = %v, want an error about document 2 containing %q", err, tc.want)
			}
		})
	}
}

// Each broken variant of the shipped manifests is refused with a message naming the problem.
func TestCheckRefusesBrokenManifests(t *testing.T) {
	for name, tc := range map[string]struct {
		change func(t *testing.T, single, sharded *Manifests)
		want   string
	}{
		"two replicas of the single set": {func(_ *testing.T, s, _ *Manifests) { s.StatefulSets[0].Spec.Replicas = ptr(int32(2)) },
			"org acme.okta.com is read by 2 receivers (otelcol-okta-0 okta/acme, otelcol-okta-1 okta/acme)"},
		"a replica without its shard file": {func(_ *testing.T, _, sh *Manifests) { sh.StatefulSets[0].Spec.Replicas = ptr(int32(3)) },
			"has no key otelcol-okta-shard-2.yaml"},
		"a shard file no replica reads": {func(_ *testing.T, _, sh *Manifests) { sh.StatefulSets[0].Spec.Replicas = ptr(int32(1)) },
			"no pod reads otelcol-okta-shard-1.yaml"},
		"an org in two shards": {func(t *testing.T, _, sh *Manifests) {
			edit(t, sh, "otelcol-okta-shards", "otelcol-okta-shard-1.yaml", "hooli.okta.com", "Initech.okta.com")
		}, "org initech.okta.com is read by 2 receivers"},
		"an org in both layouts": {func(t *testing.T, _, sh *Manifests) {
			edit(t, sh, "otelcol-okta-shards", "otelcol-okta-shard-1.yaml", "hooli.okta.com", "https://acme.okta.com")
		}, "org acme.okta.com is read by 2 receivers"},
		"storage off the volume": {func(t *testing.T, s, _ *Manifests) {
			edit(t, s, "otelcol-okta", "config.yaml", "directory: /var/lib/otelcol/okta", "directory: /tmp/okta")
		}, "file_storage writes to /tmp/okta, where no volume is mounted"},
		"storage on a read-only volume": {func(t *testing.T, s, _ *Manifests) {
			edit(t, s, "otelcol-okta", "config.yaml", "directory: /var/lib/otelcol/okta", "directory: /var/run/secrets/okta")
		}, "which is not a writable volumeClaimTemplate"},
		"a receiver without storage": {func(t *testing.T, s, _ *Manifests) {
			edit(t, s, "otelcol-okta", "config.yaml", "acme-token\n    storage: file_storage\n", "acme-token\n")
		}, "receiver okta/acme has no `storage`"},
		"a receiver in no pipeline": {func(t *testing.T, s, _ *Manifests) {
			edit(t, s, "otelcol-okta", "config.yaml", "receivers: [okta/acme, okta/globex]", "receivers: [okta/acme]")
		}, "receiver okta/globex is in no pipeline"},
		"an inlined token": {func(t *testing.T, s, _ *Manifests) {
			edit(t, s, "otelcol-okta", "config.yaml", "api_token_file: /var/run/secrets/okta/acme-token", "api_token: 00QCjAl4MlV-WPXM")
		}, "receivers.okta/acme.api_token is written into the ConfigMap"},
		"an inlined private key": {func(t *testing.T, _, sh *Manifests) {
			edit(t, sh, "otelcol-okta-shards", "otelcol-okta-shard-1.yaml", "private_key_file: /var/run/secrets/okta/stark-key.pem", "private_key: '-----BEGIN PRIVATE KEY-----'")
		}, "receivers.okta/stark.oauth.private_key is written into the ConfigMap"},
		"an inlined API key header": {func(t *testing.T, s, _ *Manifests) {
			edit(t, s, "otelcol-okta", "config.yaml", "Bearer ${env:DATABLE_API_KEY}", "Bearer dtbl-123")
		}, "exporters.otlp_http/datable.headers.Authorization is written into the ConfigMap"},
		"a token from a plain env value": {func(t *testing.T, s, _ *Manifests) {
			edit(t, s, "otelcol-okta", "config.yaml", "api_token_file: /var/run/secrets/okta/acme-token", "api_token: ${env:ACME}")
			c := &s.StatefulSets[0].Spec.Template.Spec.Containers[0]
			c.Env = append(c.Env, corev1.EnvVar{Name: "ACME", Value: "00QCjAl4MlV-WPXM"})
		}, "refers to ${env:ACME}, which does not come from a Secret"},
		"an API key in a plain env value": {func(t *testing.T, s, _ *Manifests) {
			env(t, s, "DATABLE_API_KEY").ValueFrom, env(t, s, "DATABLE_API_KEY").Value = nil, "dtbl-123"
		}, "env DATABLE_API_KEY holds a credential but does not come from a Secret"},
		"a variable the pod does not set": {func(t *testing.T, s, _ *Manifests) { env(t, s, "DATABLE_OTLP_ENDPOINT").Name = "OTLP_ENDPOINT" },
			"refers to ${env:DATABLE_OTLP_ENDPOINT}, which the container's env does not set"},
		"a probe on the metrics port": {func(_ *testing.T, s, _ *Manifests) {
			s.StatefulSets[0].Spec.Template.Spec.Containers[0].LivenessProbe.HTTPGet.Port = intstr.FromInt32(8888)
		}, "livenessProbe asks port 8888"},
		"a probe on another path": {func(_ *testing.T, _, sh *Manifests) {
			sh.StatefulSets[0].Spec.Template.Spec.Containers[0].ReadinessProbe.HTTPGet.Path = "/health"
		}, `readinessProbe asks port health path "/health"`},
		"health_check on loopback": {func(t *testing.T, s, _ *Manifests) {
			edit(t, s, "otelcol-okta", "config.yaml", "endpoint: 0.0.0.0:13133", "endpoint: localhost:13133")
		}, "so that the kubelet can reach it"},
		"metrics on loopback": {func(t *testing.T, _, sh *Manifests) {
			edit(t, sh, "otelcol-okta-shards", "common.yaml", "host: 0.0.0.0", "host: localhost")
		}, "metrics listen on localhost"},
		"a Service without the metrics port": {func(_ *testing.T, s, _ *Manifests) {
			s.Services[0].Spec.Ports[0].TargetPort = intstr.FromString("health")
		}, "does not expose the metrics port 8888"},
		"a Service selecting other pods": {func(_ *testing.T, s, _ *Manifests) {
			s.Services[0].Spec.Selector = map[string]string{"app.kubernetes.io/name": "otelcol-okta-shard"}
		}, "which the pods of otelcol-okta do not carry"},
		"a request above the limit": {func(_ *testing.T, s, _ *Manifests) {
			s.StatefulSets[0].Spec.Template.Spec.Containers[0].Resources.Requests[corev1.ResourceCPU] = resource.MustParse("2")
		}, "the cpu request 2 is above its limit 1"},
		"no memory limit": {func(_ *testing.T, s, _ *Manifests) {
			delete(s.StatefulSets[0].Spec.Template.Spec.Containers[0].Resources.Limits, corev1.ResourceMemory)
		}, "set both the memory request and limit"},
		"GOMEMLIMIT at the limit": {func(t *testing.T, s, _ *Manifests) { env(t, s, "GOMEMLIMIT").Value = "384MiB" },
			"GOMEMLIMIT 384MiB is 100 % of the memory limit 384Mi"},
		"no GOMEMLIMIT": {func(t *testing.T, s, _ *Manifests) { env(t, s, "GOMEMLIMIT").Name = "GOGC" },
			"GOMEMLIMIT: \"\" is not set"},
		"a writable root filesystem": {func(_ *testing.T, s, _ *Manifests) {
			s.StatefulSets[0].Spec.Template.Spec.Containers[0].SecurityContext.ReadOnlyRootFilesystem = ptr(false)
		}, "the securityContext needs readOnlyRootFilesystem: true"},
		"capabilities kept": {func(_ *testing.T, _, sh *Manifests) {
			sh.StatefulSets[0].Spec.Template.Spec.Containers[0].SecurityContext.Capabilities.Drop = []corev1.Capability{"NET_RAW"}
		}, "capabilities.drop: [ALL]"},
		"root allowed": {func(_ *testing.T, s, _ *Manifests) {
			s.StatefulSets[0].Spec.Template.Spec.SecurityContext.RunAsNonRoot = nil
		}, "the pod securityContext needs runAsNonRoot: true"},
		"a namespace": {func(_ *testing.T, s, _ *Manifests) {
			s.ConfigMaps[0].ObjectMeta = metav1.ObjectMeta{Name: "otelcol-okta", Namespace: "okta"}
		},
			`metadata.namespace "okta" is set`},
	} {
		t.Run(name, func(t *testing.T) {
			single, sharded := layouts(t)
			tc.change(t, single, sharded)
			err := Check(single, sharded)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Check = %v\nwant an error containing %q", err, tc.want)
			}
		})
	}
}

// edit replaces old (which must be there) in a ConfigMap's key.
func edit(t *testing.T, m *Manifests, configMap, key, old, replacement string) {
	t.Helper()
	cm := m.ConfigMap(configMap)
	if cm == nil || !strings.Contains(cm.Data[key], old) {
		t.Fatalf("ConfigMap %s key %s has no %q", configMap, key, old)
	}
	cm.Data[key] = strings.Replace(cm.Data[key], old, replacement, 1)
}

// env returns the collector container's variable name of the first StatefulSet of m.
func env(t *testing.T, m *Manifests, name string) *corev1.EnvVar {
	t.Helper()
	c := &m.StatefulSets[0].Spec.Template.Spec.Containers[0]
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	t.Fatalf("no env %s", name)
	return nil
}

func ptr[T any](v T) *T { return &v }
