package receiver

import (
	"reflect"

	"go.opentelemetry.io/collector/confmap"
)

var _ confmap.Unmarshaler = (*Config)(nil)

// Unmarshal decodes the receiver's configuration and rejects every key it does not know. The HTTP client
// settings decode themselves leniently: since collector v0.160.0 confighttp.ClientConfig's Unmarshal
// ignores unknown keys so that it can be squashed into a component's configuration, and a misspelt key
// under it would pass unnoticed (https://github.com/open-telemetry/opentelemetry-collector/issues/15907).
// So the keys are checked once more against a strict copy of the structure, and a misspelt key stops the
// collector with one line that names it and the closest valid key. Once the collector rejects unknown
// keys under a squashed ClientConfig itself, the strict copy can go.
func (c *Config) Unmarshal(conf *confmap.Conf) error {
	err := conf.Unmarshal(c)
	if err == nil {
		err = conf.Unmarshal(reflect.New(strictConfigType).Interface())
	}
	if err != nil {
		if unknown := unknownKeys(conf.ToStringMap(), reflect.TypeFor[Config](), ""); len(unknown) > 0 {
			return unknownKeysError(unknown)
		}
	}
	return err
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
