package bench

import (
	"fmt"
	"strings"
	"time"
)

// Exporters the bench can put at the end of the pipeline.
const (
	ExporterOTLPHTTP = "otlp_http" // to the Sink over OTLP/HTTP
	ExporterDebug    = "debug"     // verbosity basic: one log line per batch, no network
)

// CollectorConfig is what goes into the collector's configuration file.
type CollectorConfig struct {
	OrgURL      string
	CAFile      string
	StorageDir  string
	Body        string // map or raw
	PageSize    int
	Budget      float64 // rate_limit_budget; 0 leaves the receiver's default
	Batch       bool    // a batch processor with its defaults
	Exporter    string  // ExporterOTLPHTTP or ExporterDebug
	SinkURL     string  // the otlp_http endpoint
	Compression string  // otlp_http compression: gzip or none
	GzipLevel   int     // otlp_http compression_params.level with gzip, 1-9; 0 leaves the default (6)
	Consumers   int     // otlp_http sending_queue.num_consumers; 0 leaves the default (10)
	QueueSize   int     // otlp_http sending_queue.queue_size (requests), blocking when full; 0 leaves the default
	NoQueue     bool    // otlp_http sending_queue.enabled: false (Consumers and QueueSize then unused)
	// PollInterval is the receiver's poll_interval; 0: 1s, the drain's.
	PollInterval time.Duration
	// Orgs, when set, replace OrgURL and CAFile: one receiver okta/org<i> per org (1-based), each with
	// its endpoint, CA file and token and its own checkpoint in the one file_storage, all in the pipeline.
	Orgs []OrgEndpoint
	// PagesInFlight, when > 0, is written as pages_in_flight in every okta receiver.
	PagesInFlight int
	// BlockedSinkURL is the backend of the orgs marked Blocked: their receivers are in a pipeline of
	// their own, logs/blocked, exporting there with otlp_http/blocked, without a sending queue and
	// retrying for ever.
	BlockedSinkURL string
}

// OrgEndpoint is one org of a multi-org configuration.
type OrgEndpoint struct {
	URL    string
	CAFile string
	Token  string // the org's API token
	// Blocked puts the org's receiver in the pipeline logs/blocked (see CollectorConfig.BlockedSinkURL).
	Blocked bool
}

// ReceiverID is the id of the receiver of org i (0-based) in a multi-org configuration.
func ReceiverID(i int) string { return fmt.Sprintf("okta/org%d", i+1) }

// YAML renders the configuration: the okta receiver (page_size, poll_interval 1s unless set, initial_lookback
// 72h, checkpoint in file_storage), or one per org, the optional batch processor, the exporter with its
// defaults (otlp_http: sending queue, 10 consumers), and no internal metrics, so that the figures are the
// pipeline's alone.
func (c CollectorConfig) YAML() string {
	var b strings.Builder
	fmt.Fprintf(&b, "extensions:\n  file_storage:\n    directory: %q\nreceivers:\n", c.StorageDir)
	ids := c.receiverIDs()
	for i, id := range ids {
		url, ca, token := c.OrgURL, c.CAFile, Token
		if len(c.Orgs) > 0 {
			url, ca, token = c.Orgs[i].URL, c.Orgs[i].CAFile, c.Orgs[i].Token
		}
		fmt.Fprintf(&b, `  %s:
    endpoint: %q
    api_token: %q
    tls:
      ca_file: %q
    page_size: %d
    poll_interval: %s
    initial_lookback: 72h
    body: %s
    storage: file_storage
`, id, url, token, ca, c.PageSize, c.pollInterval(), c.Body)
		if c.Budget > 0 {
			fmt.Fprintf(&b, "    rate_limit_budget: %g\n", c.Budget)
		}
		if c.PagesInFlight > 0 {
			fmt.Fprintf(&b, "    pages_in_flight: %d\n", c.PagesInFlight)
		}
	}
	processors := "[]"
	if c.Batch {
		b.WriteString("processors:\n  batch: {}\n")
		processors = "[batch]"
	}
	b.WriteString("exporters:\n")
	switch c.Exporter {
	case ExporterDebug:
		b.WriteString("  debug:\n    verbosity: basic\n")
	default:
		fmt.Fprintf(&b, "  otlp_http:\n    endpoint: %q\n    compression: %s\n", c.SinkURL, c.Compression)
		if c.Compression == "gzip" && c.GzipLevel != 0 {
			fmt.Fprintf(&b, "    compression_params:\n      level: %d\n", c.GzipLevel)
		}
		b.WriteString(c.sendingQueue())
	}
	var blocked, others []string
	for i, id := range ids {
		if len(c.Orgs) > 0 && c.Orgs[i].Blocked {
			blocked = append(blocked, id)
		} else {
			others = append(others, id)
		}
	}
	if len(blocked) > 0 {
		fmt.Fprintf(&b, `  otlp_http/blocked:
    endpoint: %q
    compression: %s
    sending_queue:
      enabled: false
    retry_on_failure:
      enabled: true
      max_elapsed_time: 0s
`, c.BlockedSinkURL, c.Compression)
	}
	// The debug exporter's lines are how its records are counted: none may be sampled away.
	logs := ""
	if c.Exporter == ExporterDebug {
		logs = "\n    logs:\n      sampling:\n        enabled: false"
	}
	fmt.Fprintf(&b, `service:
  extensions: [file_storage]
  telemetry:
    metrics:
      level: none%s
  pipelines:
    logs:
      receivers: [%s]
      processors: %s
      exporters: [%s]
`, logs, strings.Join(others, ", "), processors, c.exporterID())
	if len(blocked) > 0 {
		fmt.Fprintf(&b, "    logs/blocked:\n      receivers: [%s]\n      exporters: [otlp_http/blocked]\n", strings.Join(blocked, ", "))
	}
	return b.String()
}

// receiverIDs are the okta receivers' ids: okta, or okta/org1 … okta/orgN.
func (c CollectorConfig) receiverIDs() []string {
	if len(c.Orgs) == 0 {
		return []string{"okta"}
	}
	ids := make([]string, len(c.Orgs))
	for i := range c.Orgs {
		ids[i] = ReceiverID(i)
	}
	return ids
}

func (c CollectorConfig) pollInterval() time.Duration {
	if c.PollInterval <= 0 {
		return time.Second
	}
	return c.PollInterval
}

func (c CollectorConfig) exporterID() string {
	if c.Exporter == ExporterDebug {
		return ExporterDebug
	}
	return "otlp_http"
}

// sendingQueue renders the otlp_http exporter's sending_queue block; "" keeps the exporter's defaults.
func (c CollectorConfig) sendingQueue() string {
	if c.NoQueue {
		return "    sending_queue:\n      enabled: false\n"
	}
	if c.Consumers == 0 && c.QueueSize == 0 {
		return ""
	}
	s := "    sending_queue:\n"
	if c.Consumers != 0 {
		s += fmt.Sprintf("      num_consumers: %d\n", c.Consumers)
	}
	if c.QueueSize != 0 {
		s += fmt.Sprintf("      queue_size: %d\n      block_on_overflow: true\n", c.QueueSize)
	}
	return s
}
