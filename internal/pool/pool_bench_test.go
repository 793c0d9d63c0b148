package pool

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkPoolAdmit is one request's way through the pool (admitted, its answer charged, mapped,
// delivered, released), alone (what one org pays per page with nobody waiting) and while other orgs'
// answers are still arriving, as at 1,000 orgs in one collector.
func BenchmarkPoolAdmit(b *testing.B) {
	for _, others := range []int{0, 10, 1000} {
		b.Run(fmt.Sprintf("others=%d", others), func(b *testing.B) {
			p := New(Options{MinTicket: 1 << 20, Weight: 10})
			p.Ask(int64(others+10) * 32 << 20)
			ctx := context.Background()
			for range others { // admitted, their answers short of what they expect
				l, err := p.Admit(ctx, Request{Owner: "okta/other", Expect: 24 << 20})
				if err != nil {
					b.Fatal(err)
				}
				l.trim()
			}
			b.ReportAllocs()
			for b.Loop() {
				l, err := p.Admit(ctx, Request{Owner: "okta/org", Expect: 24 << 20})
				if err != nil {
					b.Fatal(err)
				}
				if err := l.Charge(ctx, 1<<20); err != nil {
					b.Fatal(err)
				}
				if err := l.Mapping(ctx, 1<<20); err != nil {
					b.Fatal(err)
				}
				l.Delivering()
				l.Release()
			}
		})
	}
}
