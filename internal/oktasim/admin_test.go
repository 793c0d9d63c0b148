package oktasim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func adminCall(t *testing.T, method, rawURL, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, rawURL, strings.NewReader(body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func TestAdminEndpoints(t *testing.T) {
	f := newFixture(t, Options{})
	base := f.srv.URL + "/sim/"

	// Events, then the ledger.
	events, _ := json.Marshal([]json.RawMessage{ev("a1", t0, "x"), ev("a2", t0.Add(-time.Hour), "y")})
	if status, body := adminCall(t, "POST", base+"events", string(events)); status != 200 {
		t.Fatalf("POST events: %d %s", status, body)
	}
	if status, _ := adminCall(t, "POST", base+"events", `[{"no":"uuid"}]`); status != 400 {
		t.Errorf("POST invalid events: %d", status)
	}
	status, body := adminCall(t, "GET", base+"ledger", "")
	var ledger []string
	if status != 200 || json.Unmarshal(body, &ledger) != nil || !slices.Equal(ledger, []string{"a1", "a2"}) {
		t.Fatalf("GET ledger: %d %s", status, body)
	}

	// Faults at runtime.
	if status, body := adminCall(t, "POST", base+"faults", `{"next":["500","foo"]}`); status != 400 {
		t.Errorf("POST unknown fault: %d %s", status, body)
	}
	if status, _ := adminCall(t, "POST", base+"faults", `{"nope":1}`); status != 400 {
		t.Errorf("POST unknown field: %d", status)
	}
	if status, body := adminCall(t, "POST", base+"faults", `{"next":["503-html"],"prob":{"slow":0},"slowDelay":1000000}`); status != 200 {
		t.Fatalf("POST faults: %d %s", status, body)
	}
	var cur Faults
	if _, body := adminCall(t, "GET", base+"faults", ""); json.Unmarshal(body, &cur) != nil || !slices.Equal(cur.Next, []FaultKind{Fault503HTML}) || cur.SlowDelay != time.Millisecond {
		t.Fatalf("GET faults: %s", body)
	}
	if r := f.logs(t); r.status != 503 {
		t.Fatalf("after POST faults: %d", r.status)
	}
	f.logs(t)

	// Stats, as the end-to-end test reads them.
	status, body = adminCall(t, "GET", base+"stats", "")
	var st Stats
	if status != 200 || json.Unmarshal(body, &st) != nil {
		t.Fatalf("GET stats: %d %s", status, body)
	}
	if st.Requests != 2 || st.Responses[503] != 1 || st.Responses[200] != 1 || st.Faults[Fault503HTML] != 1 || st.MaxPerWindow != 2 {
		t.Errorf("stats %s", body)
	}
	if !bytes.Contains(body, []byte(`"SSWS `+testToken+`":2`)) {
		t.Errorf("stats lack the authorization counts: %s", body)
	}

	if status, _ := adminCall(t, "GET", base+"nothing", ""); status != 404 {
		t.Errorf("unknown admin path: %d", status)
	}
}
