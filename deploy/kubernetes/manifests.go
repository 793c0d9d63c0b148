package kubernetes

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// Manifests are the objects of one layout directory, decoded into their Kubernetes types.
type Manifests struct {
	Dir          string
	StatefulSets []*appsv1.StatefulSet
	ConfigMaps   []*corev1.ConfigMap
	Services     []*corev1.Service
}

// Load decodes every *.yaml file of dir. Each document must be a StatefulSet, ConfigMap or Service,
// and is decoded strictly: an unknown or duplicated field is an error naming the file and document.
func Load(dir string) (*Manifests, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.yaml manifests in %s", dir)
	}
	sort.Strings(files)
	m := &Manifests{Dir: dir}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for i, doc := range documentSeparator.Split(string(data), -1) {
			if empty(doc) {
				continue
			}
			if err := m.add([]byte(doc)); err != nil {
				return nil, fmt.Errorf("%s, document %d: %w", f, i+1, err)
			}
		}
	}
	return m, nil
}

var documentSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// empty reports whether a YAML document holds nothing but comments.
func empty(doc string) bool {
	var probe map[string]any
	return yaml.Unmarshal([]byte(doc), &probe) == nil && len(probe) == 0
}

// add decodes one document strictly into the type its apiVersion and kind name.
func (m *Manifests) add(doc []byte) error {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return err
	}
	var obj any
	switch tm.APIVersion + " " + tm.Kind {
	case "apps/v1 StatefulSet":
		s := &appsv1.StatefulSet{}
		m.StatefulSets, obj = append(m.StatefulSets, s), s
	case "v1 ConfigMap":
		c := &corev1.ConfigMap{}
		m.ConfigMaps, obj = append(m.ConfigMaps, c), c
	case "v1 Service":
		s := &corev1.Service{}
		m.Services, obj = append(m.Services, s), s
	default:
		return fmt.Errorf("apiVersion %q kind %q: expected apps/v1 StatefulSet, v1 ConfigMap or v1 Service", tm.APIVersion, tm.Kind)
	}
	if err := yaml.UnmarshalStrict(bytes.TrimSpace(doc), obj); err != nil {
		return fmt.Errorf("%s: %w", tm.Kind, err)
	}
	return nil
}

// ConfigMap returns the ConfigMap called name, or nil.
func (m *Manifests) ConfigMap(name string) *corev1.ConfigMap {
	for _, c := range m.ConfigMaps {
		if c.Name == name {
			return c
		}
	}
	return nil
}
