package oauth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/datableio/oktareceiver/internal/okta"
)

// hugeNonce is far longer than any nonce Okta sends (and than the 4 KiB the receiver reads).
var hugeNonce = strings.Repeat("n", 1<<20)

// A token endpoint's answer with a header over its limit is refused: a 1 MiB nonce is never signed into a
// proof, and the request is not sent again with it.
func TestTokenAnswerWithHeaderOverItsLimit(t *testing.T) {
	for _, name := range []string{"DPoP-Nonce", "Retry-After", "X-Rate-Limit-Reset", "WWW-Authenticate", "Date"} {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			var proofs []string
			org := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				proofs = append(proofs, r.Header.Get("DPoP"))
				mu.Unlock()
				w.Header().Set(name, hugeNonce)
				writeJSON(w, 400, `{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof."}`)
			})
			a := newAuthorizer(t, org, true, nil)
			err := a.Authorize(must(http.NewRequest(http.MethodGet, org.JoinPath(okta.LogsPath).String(), nil)))
			var te *TokenError
			if !errors.As(err, &te) || te.Permanent() {
				t.Fatalf("got %v", err)
			}
			for _, want := range []string{"OAuth token request failed", "the token endpoint's answer has a " + name + " header of 1048576 bytes, longer than the", "check `endpoint` and `proxy_url`"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q lacks %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "nnnnnnnn") {
				t.Error("the header's value is quoted")
			}
			if len(proofs) != 1 || a.tokenNonce != "" {
				t.Errorf("%d token requests, nonce kept: %t; want one request and no nonce", len(proofs), a.tokenNonce != "")
			}
		})
	}
}

// The System Log API answering 401 with a nonce challenge whose nonce is 1 MiB: the answer is refused,
// the authorizer never keeps the nonce, and the next proof is of the usual size.
func TestAPINonceOverItsLimit(t *testing.T) {
	var mu sync.Mutex
	var proofs []string
	challenge := true
	mux := http.NewServeMux()
	mux.HandleFunc(TokenPath, func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, tokenAnswerJSON("access-token-1", "DPoP"))
	})
	mux.HandleFunc(okta.LogsPath, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		proofs = append(proofs, r.Header.Get("DPoP"))
		ch := challenge
		mu.Unlock()
		if ch {
			w.Header().Set("WWW-Authenticate", `DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"`)
			w.Header().Set("DPoP-Nonce", hugeNonce)
			writeJSON(w, 401, `{"errorCode":"invalid_dpop_proof","errorSummary":"Resource server requires nonce in DPoP proof"}`)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	org := must(url.Parse(srv.URL))
	a := newAuthorizer(t, org, true, nil)
	c := okta.NewClient(org, srv.Client(), a, "oauth-test", 16<<20)

	_, err := c.Fetch(context.Background(), srv.URL+okta.LogsPath, nil)
	var he *okta.HeaderTooLongError
	if !errors.As(err, &he) || he.Header != "DPoP-Nonce" || !strings.Contains(err.Error(), "a DPoP-Nonce header of 1048576 bytes, longer than the 4096 bytes") {
		t.Fatalf("got %v", err)
	}
	mu.Lock()
	challenge = false
	mu.Unlock()
	if _, err := c.Fetch(context.Background(), srv.URL+okta.LogsPath, nil); err != nil {
		t.Fatal(err)
	}
	if len(proofs) != 2 {
		t.Fatalf("%d API requests, want 2: the refused answer is not retried", len(proofs))
	}
	if a.apiNonce != "" {
		t.Error("the nonce was kept")
	}
	if n := checkProof(t, proofs[1]).claims.Nonce; n != "" || len(proofs[1]) > 2<<10 {
		t.Errorf("the next proof is %d bytes, with a nonce of %d bytes", len(proofs[1]), len(n))
	}
	// Rejected, told of such an answer directly, keeps no nonce either.
	resp := &http.Response{StatusCode: http.StatusUnauthorized, Header: http.Header{"Dpop-Nonce": {hugeNonce},
		"Www-Authenticate": {`DPoP error="use_dpop_nonce"`}}}
	a.Rejected(resp)
	if a.apiNonce != "" {
		t.Error("Rejected kept a nonce over the limit")
	}
}
