package bench

import (
	"fmt"
	"testing"
	"time"

	"go.opentelemetry.io/collector/confmap"

	"github.com/datableio/oktareceiver/receiver"
)

func loadConfig(t *testing.T, c CollectorConfig) *confmap.Conf {
	t.Helper()
	ret, err := confmap.NewRetrievedFromYAML([]byte(c.YAML()))
	if err != nil {
		t.Fatalf("not YAML: %v\n%s", err, c.YAML())
	}
	conf, err := ret.AsConf()
	if err != nil {
		t.Fatal(err)
	}
	return conf
}

func TestConfigIsValidForTheReceiver(t *testing.T) {
	c := CollectorConfig{OrgURL: "https://127.0.0.1:8443", CAFile: "/tmp/x y/ca.pem", StorageDir: "/tmp/x y/storage",
		Body: "raw", PageSize: 1000, Budget: 0.25, Exporter: ExporterOTLPHTTP, SinkURL: "http://127.0.0.1:4318", Compression: "none"}
	conf := loadConfig(t, c)
	sub, err := conf.Sub("receivers::okta")
	if err != nil {
		t.Fatal(err)
	}
	cfg := receiver.NewFactory().CreateDefaultConfig().(*receiver.Config)
	if err := sub.Unmarshal(cfg); err != nil {
		t.Fatalf("the okta receiver refuses the bench's keys: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("the okta receiver finds the config invalid: %v", err)
	}
	if cfg.Body != "raw" || cfg.PageSize != 1000 || cfg.RateLimitBudget != 0.25 || cfg.ClientConfig.TLS.CAFile != c.CAFile || cfg.Storage == nil {
		t.Errorf("decoded %+v", cfg)
	}
	for key, want := range map[string]any{
		"exporters::otlp_http::endpoint":       "http://127.0.0.1:4318",
		"exporters::otlp_http::compression":    "none",
		"extensions::file_storage::directory":  "/tmp/x y/storage",
		"service::telemetry::metrics::level":   "none",
		"service::pipelines::logs::receivers":  []any{"okta"},
		"service::pipelines::logs::exporters":  []any{"otlp_http"},
		"service::pipelines::logs::processors": []any{},
		"receivers::okta::initial_lookback":    "72h",
		"receivers::okta::poll_interval":       "1s",
		"receivers::okta::tls::ca_file":        "/tmp/x y/ca.pem",
		"receivers::okta::api_token":           Token,
	} {
		if got := conf.Get(key); !equalYAML(got, want) {
			t.Errorf("%s = %#v, want %#v", key, got, want)
		}
	}
}

func TestConfigDebugAndBatch(t *testing.T) {
	c := CollectorConfig{OrgURL: "https://127.0.0.1:8443", CAFile: "ca.pem", StorageDir: "s", Body: "map", PageSize: 1000,
		Batch: true, Exporter: ExporterDebug}
	conf := loadConfig(t, c)
	if got := conf.Get("service::telemetry::logs::sampling::enabled"); got != false {
		t.Errorf("log sampling = %v, want false: the debug exporter's lines are counted", got)
	}
	if got := conf.Get("exporters::debug::verbosity"); got != "basic" {
		t.Errorf("debug verbosity = %v", got)
	}
	if !equalYAML(conf.Get("service::pipelines::logs::processors"), []any{"batch"}) || !conf.IsSet("processors::batch") {
		t.Errorf("no batch processor in\n%s", c.YAML())
	}
	c = CollectorConfig{Exporter: ExporterOTLPHTTP, Compression: "gzip", GzipLevel: 1}
	if got := loadConfig(t, c).Get("exporters::otlp_http::compression_params::level"); fmt.Sprint(got) != "1" {
		t.Errorf("gzip level = %v, want 1", got)
	}
	c = CollectorConfig{Exporter: ExporterOTLPHTTP, Compression: "zstd", Consumers: 2, QueueSize: 4}
	q := loadConfig(t, c)
	if fmt.Sprint(q.Get("exporters::otlp_http::compression")) != "zstd" || fmt.Sprint(q.Get("exporters::otlp_http::sending_queue::num_consumers")) != "2" ||
		fmt.Sprint(q.Get("exporters::otlp_http::sending_queue::queue_size")) != "4" || q.Get("exporters::otlp_http::sending_queue::block_on_overflow") != true {
		t.Errorf("sending queue settings missing in\n%s", c.YAML())
	}
	c = CollectorConfig{Exporter: ExporterOTLPHTTP, Compression: "zstd", NoQueue: true}
	q = loadConfig(t, c)
	if q.Get("exporters::otlp_http::sending_queue::enabled") != false || q.IsSet("exporters::otlp_http::sending_queue::num_consumers") {
		t.Errorf("sending queue not disabled alone in\n%s", c.YAML())
	}
	if conf.IsSet("exporters::otlp_http") || conf.IsSet("receivers::okta::rate_limit_budget") || loadConfig(t, CollectorConfig{}).IsSet("service::telemetry::logs") {
		t.Errorf("unexpected keys in\n%s", c.YAML())
	}
}

// equalYAML compares a decoded YAML value with the value expected, by their printed forms.
func equalYAML(got, want any) bool { return fmt.Sprint(got) == fmt.Sprint(want) }

func multiOrgConfig(n int) CollectorConfig {
	c := CollectorConfig{StorageDir: "/tmp/s", Body: "map", PageSize: 1000, PollInterval: 15 * time.Second, Exporter: ExporterOTLPHTTP,
		SinkURL: "http://127.0.0.1:4318", Compression: "zstd", NoQueue: true}
	for i := range n {
		c.Orgs = append(c.Orgs, OrgEndpoint{URL: fmt.Sprintf("https://%s:%d", OrgHost(i), 9000+i), CAFile: "/tmp/ca.pem", Token: orgToken(i)})
	}
	return c
}

func TestConfigOneReceiverPerOrg(t *testing.T) {
	c := multiOrgConfig(3)
	conf := loadConfig(t, c)
	if !equalYAML(conf.Get("service::pipelines::logs::receivers"), []any{"okta/org1", "okta/org2", "okta/org3"}) {
		t.Errorf("pipeline receivers %v", conf.Get("service::pipelines::logs::receivers"))
	}
	if conf.IsSet("receivers::okta") {
		t.Errorf("a receiver okta besides the orgs' in\n%s", c.YAML())
	}
	tokens := map[string]bool{}
	for i := range 3 {
		sub, err := conf.Sub("receivers::" + ReceiverID(i))
		if err != nil {
			t.Fatal(err)
		}
		cfg := receiver.NewFactory().CreateDefaultConfig().(*receiver.Config)
		if err := sub.Unmarshal(cfg); err != nil {
			t.Fatalf("%s: the okta receiver refuses the bench's keys: %v", ReceiverID(i), err)
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("%s: invalid: %v", ReceiverID(i), err)
		}
		if cfg.ClientConfig.Endpoint != c.Orgs[i].URL || string(cfg.APIToken) != c.Orgs[i].Token || cfg.Storage == nil ||
			cfg.Storage.String() != "file_storage" || cfg.PollInterval != 15*time.Second || sub.IsSet("pages_in_flight") {
			t.Errorf("%s decoded %+v", ReceiverID(i), cfg)
		}
		tokens[string(cfg.APIToken)] = true
	}
	if len(tokens) != 3 {
		t.Errorf("the orgs share tokens: %v", tokens)
	}
	if conf.Get("exporters::otlp_http::sending_queue::enabled") != false || fmt.Sprint(conf.Get("exporters::otlp_http::compression")) != "zstd" {
		t.Errorf("not the lean exporter in\n%s", c.YAML())
	}
}

func TestConfigPagesInFlightInEveryReceiver(t *testing.T) {
	c := multiOrgConfig(2)
	c.PagesInFlight = 8
	conf := loadConfig(t, c)
	for i := range 2 {
		if got := conf.Get("receivers::" + ReceiverID(i) + "::pages_in_flight"); fmt.Sprint(got) != "8" {
			t.Errorf("%s pages_in_flight = %v, want 8", ReceiverID(i), got)
		}
	}
	single := CollectorConfig{OrgURL: "https://127.0.0.1:1", PagesInFlight: 2}
	if got := loadConfig(t, single).Get("receivers::okta::pages_in_flight"); fmt.Sprint(got) != "2" {
		t.Errorf("single receiver pages_in_flight = %v", got)
	}
}
