package receiver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/datableio/oktareceiver/internal/oauth"
	"github.com/datableio/oktareceiver/internal/okta"
)

func readDoc(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "docs", name))
	require.NoError(t, err)
	return strings.Join(strings.Fields(string(b)), " ")
}

// TestMonitoringNamesTheStatesWithAnErrorType: docs/monitoring.md lists exactly the states in which the
// state metric carries error.type, as the receiver sets them for every kind of failure and a failed start.
func TestMonitoringNamesTheStatesWithAnErrorType(t *testing.T) {
	now := time.Now()
	set := map[string]bool{}
	for _, err := range []error{
		&okta.APIError{StatusCode: http.StatusUnauthorized}, &okta.APIError{StatusCode: http.StatusForbidden},
		&okta.APIError{StatusCode: http.StatusBadRequest}, &okta.APIError{StatusCode: http.StatusServiceUnavailable},
		&okta.APIError{StatusCode: http.StatusOK, NotOkta: true}, &okta.APIError{StatusCode: http.StatusTooManyRequests},
		&oauth.TokenError{Status: http.StatusTooManyRequests}, &oauth.TokenError{Err: context.DeadlineExceeded},
		tokenEndpointError(t, http.StatusUnauthorized, `{"error":"invalid_client"}`),
		&okta.ForeignLinkError{}, &okta.PageError{Err: errors.New("x")}, &okta.BodyTooLargeError{},
		&okta.TransportError{Err: errors.New("reset")}, &okta.CredentialError{Key: "api_token_file"}, errors.New("other"),
	} {
		for _, following := range []bool{false, true} {
			if f := classify(err, now, following); f.errType != "" {
				set[f.state] = true
			}
		}
	}
	for _, err := range []error{&storageError{err: errors.New("damaged")}, errors.New("a token file that cannot be read")} {
		s := newStepper(t)
		s.r.startFailed(err)
		if st := s.r.telemetry.state.Load(); st.errType != "" {
			set[st.name] = true
		}
	}
	var want []string
	for s := range set {
		want = append(want, s)
	}
	sort.Strings(want)

	m := regexp.MustCompile("`error_type` names the last failure's kind while ([^|]+)\\|").FindStringSubmatch(readDoc(t, "monitoring.md"))
	require.NotNil(t, m, "docs/monitoring.md no longer says in which states error_type is set")
	states := map[string]bool{}
	for _, s := range []string{stateStarting, stateCollecting, stateCatchingUp, stateRateLimited, stateCredentialRefused,
		stateUnreachable, stateFailing, stateWaitingPipeline, stateWaitingMemory, statePageRefused, stateStorageFailed} {
		states[s] = true
	}
	var documented []string
	for _, w := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(m[1], -1) {
		if states[w[1]] && !slices.Contains(documented, w[1]) {
			documented = append(documented, w[1])
		}
	}
	sort.Strings(documented)
	assert.Equal(t, want, documented)
}

// TestOktacheckDocsNameTheReceiversTimeout: docs/oktacheck.md compares oktacheck's timeout with the
// receiver's own default.
func TestOktacheckDocsNameTheReceiversTimeout(t *testing.T) {
	said := regexp.MustCompile("where the receiver's `timeout` is [0-9a-z]+").FindString(readDoc(t, "oktacheck.md"))
	assert.Equal(t, fmt.Sprintf("where the receiver's `timeout` is %ds", int(defaultTimeout.Seconds())), said)
	assert.Equal(t, defaultTimeout, createDefaultConfig().(*Config).ClientConfig.Timeout)
}
