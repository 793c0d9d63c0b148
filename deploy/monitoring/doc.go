// Package monitoring checks what the directory ships for watching the okta receiver: the Prometheus alerting
// rules (alerts.yaml, unit-tested by promtool with alerts_test.yaml) and the Grafana dashboard
// (dashboard.json). Its tests parse every query as PromQL and check that each names only metrics the
// receiver emits (metadata.yaml's telemetry.metrics, as the collector's Prometheus endpoint names them) or
// the collector's own receiver metrics, that every alert has a fix and is tested both ways, that the
// queries of the documentation hold the same, and, against a built collector and the simulator, that the
// collector exposes the metrics under exactly those names.
package monitoring
