package oktasim

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// Okta error codes the simulator answers with.
const (
	codeValidation  = "E0000001" // 400: bad since/until/after/limit/q
	codeForbidden   = "E0000006" // 403
	codeNotFound    = "E0000007" // 404
	codeTimeout     = "E0000009" // 500
	codeInvalidTok  = "E0000011" // 401
	codeBadMethod   = "E0000022" // 405
	codeBadOperator = "E0000031" // 400: unsupported operator/field combination
	codeRateLimit   = "E0000047" // 429
	codeBadSearch   = "E0000053" // 400: invalid filter, since over 180 days back
)

// apiError is an Okta error answer: an HTTP status and the JSON error body.
type apiError struct {
	status  int
	code    string
	summary string
	causes  []string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.summary) }

func validationError(param, cause string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: codeValidation,
		summary: "Api validation failed: " + param, causes: []string{param + ": " + cause}}
}

func searchError(summary string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: codeBadSearch, summary: summary}
}

var (
	errInvalidToken = &apiError{status: http.StatusUnauthorized, code: codeInvalidTok, summary: "Invalid token provided"}
	errForbidden    = &apiError{status: http.StatusForbidden, code: codeForbidden, summary: "You do not have permission to perform the requested action"}
	errRateLimit    = &apiError{status: http.StatusTooManyRequests, code: codeRateLimit, summary: "API call exceeded rate limit due to too many requests."}
	errTimeout      = &apiError{status: http.StatusInternalServerError, code: codeTimeout, summary: "The request timed out"}
	errNotFound     = &apiError{status: http.StatusNotFound, code: codeNotFound, summary: "Not found: Resource not found: logs (Resource)"}
	errBadMethod    = &apiError{status: http.StatusMethodNotAllowed, code: codeBadMethod, summary: "The endpoint does not support the provided HTTP method"}
)

// networkZoneError is the refusal of a credential used from addr, outside the network zones it is
// restricted to. Okta documents no error body of its own for it: this one has Okta's shape and the 403 of a
// refused permission, and names the zone and the address as the client's recognition expects
// (okta.APIError.NetworkZone).
func networkZoneError(addr string) *apiError {
	return &apiError{status: http.StatusForbidden, code: codeForbidden, summary: "You do not have permission to perform the requested action",
		causes: []string{"The request from " + addr + " is outside the network zones this API token may be used from."}}
}

// errorBody is the JSON shape of an Okta error, fields in Okta's order.
type errorBody struct {
	ErrorCode    string       `json:"errorCode"`
	ErrorSummary string       `json:"errorSummary"`
	ErrorLink    string       `json:"errorLink"`
	ErrorID      string       `json:"errorId"`
	ErrorCauses  []errorCause `json:"errorCauses"`
}

type errorCause struct {
	ErrorSummary string `json:"errorSummary"`
}

// body renders the error as Okta does, with a fresh errorId.
func (e *apiError) body() []byte {
	b := errorBody{ErrorCode: e.code, ErrorSummary: e.summary, ErrorLink: e.code, ErrorID: newErrorID(), ErrorCauses: []errorCause{}}
	for _, c := range e.causes {
		b.ErrorCauses = append(b.ErrorCauses, errorCause{ErrorSummary: c})
	}
	out, _ := json.Marshal(b)
	return out
}

var idCounter atomic.Uint64

// newErrorID returns an Okta-looking errorId ("oae" + 22 characters), unique per process.
func newErrorID() string { return "oae" + uniqueToken(22) }

// newRequestID returns an X-Okta-Request-Id value, unique per process.
func newRequestID() string { return uniqueToken(27) }

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// uniqueToken returns n (> 10) base62 characters: random characters followed by a fixed-width
// process-wide counter, so values never repeat.
func uniqueToken(n int) string {
	c := strconv.FormatUint(idCounter.Add(1), 36)
	c = strings.Repeat("0", max(0, 10-len(c))) + c
	b := make([]byte, 0, n)
	for len(b)+len(c) < n {
		b = append(b, base62[rand.IntN(len(base62))])
	}
	return string(append(b, c...))
}
