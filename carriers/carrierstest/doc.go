// Package carrierstest holds the test helpers every carrier package
// shares: fixtures from testdata, golden files of normalized output, the
// parser fuzz body, and checks of a Tracker against an httptest server.
// It is imported only from _test.go files.
package carrierstest
