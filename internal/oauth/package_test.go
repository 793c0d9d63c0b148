package oauth

import (
	"testing"

	"go.uber.org/goleak"
)

// Every goroutine a test starts (servers, streams, clients) ends with it.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
