package eventview

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"go.opentelemetry.io/collector/pdata/plog"
)

// Copy reads OTLP JSON log documents from r, one after another (the file exporter writes one per line),
// and writes one Line per log record to w, after the Header; it returns at the end of r. A document that
// is not OTLP JSON is an error that says where it was found.
func Copy(r io.Reader, w io.Writer) error {
	out := bufio.NewWriter(w)
	if _, err := fmt.Fprintln(out, Header()); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	dec := json.NewDecoder(r)
	var unmarshaler plog.JSONUnmarshaler
	for n := 1; ; n++ {
		var doc json.RawMessage
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("reading OTLP JSON document %d: %w", n, err)
		}
		logs, err := unmarshaler.UnmarshalLogs(doc)
		if err != nil {
			return fmt.Errorf("OTLP JSON document %d is not logs: %w", n, err)
		}
		if err := write(out, logs); err != nil {
			return err
		}
	}
}

// write prints every record of logs and flushes, so each page appears as soon as it is exported.
func write(out *bufio.Writer, logs plog.Logs) error {
	for i := 0; i < logs.ResourceLogs().Len(); i++ {
		sls := logs.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				if _, err := fmt.Fprintln(out, Line(lrs.At(k))); err != nil {
					return err
				}
			}
		}
	}
	return out.Flush()
}
