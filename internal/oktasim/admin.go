package oktasim

import (
	"encoding/json"
	"net/http"
)

// serveAdmin serves the unauthenticated control endpoints used by the end-to-end test:
//
//	GET  /sim/ledger  JSON array of the uuids the org holds, in persistence order
//	GET  /sim/stats   JSON Stats
//	GET  /sim/faults  JSON Faults in force
//	POST /sim/faults  JSON Faults to replace them (400 on invalid faults)
//	POST /sim/events  JSON array of event objects to Add (400 on invalid events)
func (s *Sim) serveAdmin(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + r.URL.Path
	switch route {
	case "GET /sim/ledger":
		writeAdminJSON(w, http.StatusOK, s.Ledger())
	case "GET /sim/stats":
		writeAdminJSON(w, http.StatusOK, s.Stats())
	case "GET /sim/faults":
		writeAdminJSON(w, http.StatusOK, s.Faults())
	case "POST /sim/faults":
		var f Faults
		dec := json.NewDecoder(r.Body)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			writeAdminJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		if err := s.SetFaults(f); err != nil {
			writeAdminJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeAdminJSON(w, http.StatusOK, s.Faults())
	case "POST /sim/events":
		var evs []json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&evs); err != nil {
			writeAdminJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		raws := make([][]byte, len(evs))
		for i, e := range evs {
			raws[i] = e
		}
		if err := s.Add(raws...); err != nil {
			writeAdminJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeAdminJSON(w, http.StatusOK, map[string]int{"added": len(raws)})
	default:
		writeAdminJSON(w, http.StatusNotFound, map[string]string{"error": "no such admin endpoint: " + route})
	}
}

func writeAdminJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
