package okta

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// A server that echoes the token with an invalid UTF-8 byte (or another character the printer drops or
// replaces) every few characters: the log line shows no token, not even with the pieces apart.
func TestSplitEchoShowsNoToken(t *testing.T) {
	const token = "00abcDEF123ghiJKL456mnoPQR789stuVWX012yz"
	for sepName, sep := range map[string]string{"invalid byte": "\xff", "U+FFFD": "\ufffd", "zero-width space": "\u200b", "control character": "\x00"} {
		echo := "SSWS " + splitEvery(token, 3, sep)
		for _, where := range []string{"errorSummary", "html body", "request id", "content type"} {
			t.Run(where+", "+sepName, func(t *testing.T) {
				c, srv := newTestClient(t, func(w http.ResponseWriter, _ *http.Request) {
					switch where {
					case "errorSummary":
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(http.StatusUnauthorized)
						// encoding/json reads an invalid byte in a string as U+FFFD.
						_, _ = w.Write([]byte(`{"errorCode":"E0000011","errorSummary":"Invalid token provided: ` + strings.ReplaceAll(echo, "\x00", `\u0000`) + `"}`))
					case "html body":
						w.Header().Set("Content-Type", "text/html")
						w.WriteHeader(http.StatusBadGateway)
						_, _ = w.Write([]byte("<html>upstream refused " + echo + "</html>"))
					case "request id":
						w.Header().Set("X-Okta-Request-Id", strings.ReplaceAll(echo, "\x00", "\x01"))
						w.WriteHeader(http.StatusInternalServerError)
					case "content type":
						w.Header().Set("Content-Type", "text/plain; "+strings.ReplaceAll(echo, "\x00", "\x01"))
						w.WriteHeader(http.StatusOK)
						_, _ = w.Write([]byte("?"))
					}
				}, 0)
				c.auth = APIToken{Token: token}
				_, err := c.Fetch(context.Background(), srv.URL+LogsPath, nil)
				require.Error(t, err)
				var buf bytes.Buffer
				logger := zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig()), zapcore.AddSync(&buf), zapcore.DebugLevel))
				logger.Warn("Okta request failed", zap.Error(err))
				line := buf.String()
				onlyTokenChars := strings.Map(func(r rune) rune {
					if r < 0x80 && isTokenChar(byte(r)) {
						return r
					}
					return -1
				}, line)
				assert.NotContains(t, onlyTokenChars, token[:20], "the token, its pieces put together: %s", line)
				for i := 0; i+minSecretPart <= len(token); i++ {
					assert.NotContains(t, line, token[i:i+minSecretPart])
				}
				assert.NotContains(t, line, `\ufffd`)
				assert.NotContains(t, line, "\ufffd")
			})
		}
	}
}
