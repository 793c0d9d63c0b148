package oktasim

import (
	"slices"
	"testing"
	"time"

	"github.com/datableio/oktareceiver/internal/samples"
)

func TestAddValidation(t *testing.T) {
	tests := []struct {
		name   string
		events [][]byte
		ok     bool
	}{
		{"minimal", [][]byte{[]byte(`{"uuid":"a","published":"2026-11-24T09:00:00.000Z"}`)}, true},
		{"offset and micros", [][]byte{[]byte(`{"uuid":"a","published":"2026-11-24T09:00:00.123456+02:00"}`)}, true},
		{"Okta's impossible 2017-09-31", [][]byte{[]byte(`{"uuid":"a","published":"2017-09-31T22:00:00.000Z"}`)}, true},
		{"not JSON", [][]byte{[]byte(`{"uuid":"a",`)}, false},
		{"an array", [][]byte{[]byte(`[{"uuid":"a","published":"2026-11-24T09:00:00Z"}]`)}, false},
		{"no uuid", [][]byte{[]byte(`{"published":"2026-11-24T09:00:00Z"}`)}, false},
		{"empty uuid", [][]byte{[]byte(`{"uuid":"","published":"2026-11-24T09:00:00Z"}`)}, false},
		{"uuid not a string", [][]byte{[]byte(`{"uuid":7,"published":"2026-11-24T09:00:00Z"}`)}, false},
		{"no published", [][]byte{[]byte(`{"uuid":"a"}`)}, false},
		{"published not a time", [][]byte{[]byte(`{"uuid":"a","published":"last tuesday"}`)}, false},
		{"duplicate in batch", [][]byte{ev("a", t0, "x"), ev("b", t0, "x"), ev("a", t0, "x")}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim, err := New(Options{Now: NewClock(t0).Now})
			if err != nil {
				t.Fatal(err)
			}
			err = sim.Add(tc.events...)
			if (err == nil) != tc.ok {
				t.Fatalf("Add: err %v, want ok %v", err, tc.ok)
			}
			if !tc.ok && len(sim.Ledger()) != 0 {
				t.Fatalf("a rejected batch stored %v", sim.Ledger())
			}
		})
	}
}

func TestAddRejectsUUIDAlreadyHeld(t *testing.T) {
	sim, _ := New(Options{Now: NewClock(t0).Now})
	if err := sim.Add(ev("a", t0, "x")); err != nil {
		t.Fatal(err)
	}
	if err := sim.Add(ev("b", t0, "x"), ev("a", t0, "x")); err == nil {
		t.Fatal("duplicate uuid accepted")
	}
	if got := sim.Ledger(); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("ledger %v", got)
	}
}

func TestAddAcceptsEverySample(t *testing.T) {
	// One simulator per sample: two of Okta's spec examples share a uuid.
	for _, s := range samples.All() {
		sim, _ := New(Options{Now: NewClock(t0).Now})
		if err := sim.Add(s.Events...); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
		if got := len(sim.store.events); got != len(s.Events) {
			t.Errorf("%s: stored %d of %d", s.Name, got, len(s.Events))
		}
	}
}

func TestCursor(t *testing.T) {
	tests := []struct {
		in   string
		want position
		ok   bool
	}{
		{"1627500044869_1", position{1627500044869, 1}, true},
		{"0_0", position{0, 0}, true},
		{"1627500044869", position{}, false},
		{"_1", position{}, false},
		{"1_", position{}, false},
		{"a_1", position{}, false},
		{"-1_1", position{}, false},
		{"1_+1", position{}, false},
		{"1_2_3", position{}, false},
	}
	for _, tc := range tests {
		got, err := parseCursor(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseCursor(%q) = %v, %v", tc.in, got, err)
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("%q round-trips to %q", tc.in, got.String())
		}
	}
	if p := positionBefore(time.UnixMilli(1000)); p != (position{1000, 0}) {
		t.Errorf("positionBefore(whole ms) = %v", p)
	}
	if p := positionBefore(time.UnixMilli(1000).Add(time.Microsecond)); p != (position{1001, 0}) {
		t.Errorf("positionBefore(sub-ms) = %v", p)
	}
}
