package oktareceiver

import (
	"reflect"

	"go.opentelemetry.io/collector/confmap"
)

var _ confmap.Unmarshaler = (*Config)(nil)

// Unmarshal decodes the receiver's configuration and rejects every key it does not know. The HTTP client
// settings decode themselves leniently (they ignore unknown keys so that they can be squashed into a
// component's configuration), so the keys are checked once more against a strict copy of the structure:
// a misspelt key must stop the collector, not be ignored.
func (c *Config) Unmarshal(conf *confmap.Conf) error {
	if err := conf.Unmarshal(c); err != nil {
		return err
	}
	strict := reflect.New(strictConfigType).Interface()
	return conf.Unmarshal(strict)
}

// strictConfigType mirrors Config with the HTTP client settings as a plain struct: same keys, no custom
// decoding, so that unknown keys are errors.
var strictConfigType = strictCopy(reflect.TypeFor[Config]())

var unmarshalerType = reflect.TypeFor[confmap.Unmarshaler]()

func strictCopy(t reflect.Type) reflect.Type {
	var fields []reflect.StructField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Tag.Get("mapstructure") == ",squash" && reflect.PointerTo(f.Type).Implements(unmarshalerType) {
			f.Type = strictCopy(f.Type)
		}
		fields = append(fields, f)
	}
	return reflect.StructOf(fields)
}
