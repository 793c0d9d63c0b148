package oktacheck

import (
	"testing"

	"go.uber.org/goleak"
)

// A check leaves no connection or goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
