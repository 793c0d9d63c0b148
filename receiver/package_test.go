package receiver

import (
	"testing"

	"go.uber.org/goleak"
)

// Every goroutine a receiver starts ends by Shutdown.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
