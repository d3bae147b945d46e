package ui

import (
	"testing"
)

// BenchmarkDeskView renders the whole exceptions screen at 200×60, as
// every change and every clock tick does.
func BenchmarkDeskView(b *testing.B) {
	m := start(b, openDesk(b, 200), 200, 60)
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}
