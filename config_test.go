package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/store"
)

// readmeConfig is the example configuration in README.md, so the example
// is the one thing tested and cannot drift from the code.
func readmeConfig(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```toml\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md has no toml example")
	}
	return string(m[1])
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "wismo.toml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// env is a stand-in environment where every variable the README names is
// set to a value that must never show up in an error.
func env(unset ...string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		for _, u := range unset {
			if u == name {
				return "", false
			}
		}
		return "secret-value-of-" + name, true
	}
}

func TestReadmeConfigBuildsEveryFeed(t *testing.T) {
	cfg, err := loadConfig(writeConfig(t, readmeConfig(t)))
	if err != nil {
		t.Fatal(err)
	}
	polls, hooks, err := cfg.feeds(env(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range polls {
		names = append(names, p.Carrier())
	}
	if strings.Join(names, ",") != "dhl,easypost,fedex,ups,usps" || len(hooks) != 2 {
		t.Errorf("polled %v and %d webhooks; want the four carriers and EasyPost polled, EasyPost and AfterShip pushing", names, len(hooks))
	}
	if hooks[0].Webhook.Provider() != "aftership" || len(hooks[1].Secrets) != 2 {
		t.Errorf("hooks = %+v; want AfterShip, and EasyPost with its two secrets", hooks)
	}
	tc := cfg.trackerConfig()
	if tc.StallAfter != 48*time.Hour || tc.Cadence[store.StatusOutForDelivery] != 30*time.Minute ||
		tc.Feeds["dhl"].Rate != 0.2 || tc.Feeds["dhl"].Workers != 1 {
		t.Errorf("tracker config = %+v", tc)
	}
	if cfg.Data != "/var/lib/wismo" || cfg.Webhooks.Listen != "127.0.0.1:8480" {
		t.Errorf("config = %+v", cfg)
	}
	p, err := cfg.parts(env())
	if err != nil || len(p.shopSecrets) != 1 || p.notifier == nil || len(p.notifier.Channels) != 2 ||
		p.notifier.Shop != "Tee & Becher" || len(p.senders) != 3 || !p.receives() {
		t.Errorf("parts = %+v, %v; want the shop's webhook, email and texts", p, err)
	}
}

// The README's thresholds for the derived exceptions reach the tracker;
// those a file leaves out are left zero, for the tracker's defaults.
func TestTrackerThresholds(t *testing.T) {
	cfg, err := loadConfig(writeConfig(t, readmeConfig(t)))
	if err != nil {
		t.Fatal(err)
	}
	tc := cfg.trackerConfig()
	if !maps.Equal(tc.StallAfterByCarrier, map[string]time.Duration{"dhl": 72 * time.Hour, "usps": 96 * time.Hour}) ||
		tc.NeverScannedAfter != 48*time.Hour || tc.LateGrace != 0 || tc.ETASlip != 24*time.Hour {
		t.Errorf("README thresholds: by carrier %v, never scanned %v, late grace %v, ETA slip %v",
			tc.StallAfterByCarrier, tc.NeverScannedAfter, tc.LateGrace, tc.ETASlip)
	}
	cfg, err = loadConfig(writeConfig(t, "data = \"/tmp/w\"\n[tracker]\nlate_grace = \"6h\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if tc = cfg.trackerConfig(); tc.LateGrace != 6*time.Hour || tc.NeverScannedAfter != 0 || tc.ETASlip != 0 || tc.StallAfterByCarrier != nil {
		t.Errorf("late_grace alone: %+v; want the others left zero, for the tracker's defaults", tc)
	}
}

func TestNotifyChannelsNeedAProvider(t *testing.T) {
	cfg := Config{Data: "/tmp/w", Notify: notifySection{Channels: []string{"sms"},
		Email: &emailConfig{Host: "smtp.example.com", From: "care@shop.example"}}}
	if _, err := cfg.parts(env()); err == nil || !strings.Contains(err.Error(), `notify.channels: "sms" has no provider`) {
		t.Errorf("sms without a provider: %v", err)
	}
	cfg.Notify = notifySection{SMS: &smsConfig{From: "+4915100000000", AccountSIDEnv: "SID", AuthTokenEnv: "TOKEN"}}
	if _, err := cfg.parts(env("TOKEN")); err == nil || !strings.Contains(err.Error(), "notify.sms.auth_token_env: environment variable TOKEN is not set") {
		t.Errorf("missing token: %v", err)
	}
}

// Each bad configuration is refused with an error that names the key at
// fault, and never a secret.
func TestBadConfigIsRefused(t *testing.T) {
	base := "data = \"/tmp/w\"\n"
	tests := []struct{ name, body, want string }{
		{"not toml", "data = ", "config"},
		{"unknown key", base + "[carriers.dhl]\napi_key = \"inline!\"\n", "unknown keys carriers.dhl.api_key"},
		{"unknown carrier", base + "[carriers.royalmail]\n", "carriers.royalmail: unknown carrier"},
		{"negative session cap", base + "[serve]\nmax_sessions = -1\n", "serve: idle_timeout, max_sessions and per_ip_per_minute cannot be negative"},
		{"bare idle timeout", base + "[serve]\nidle_timeout = 30\n", "serve.idle_timeout: 30 is 30ns"},
		{"bad duration", base + "[tracker]\nstall_after = \"two days\"\n", "stall_after"},
		{"unknown status", base + "[tracker.cadence]\ndelivered = \"1h\"\n", "tracker.cadence.delivered"},
		{"negative rate", base + "[carriers.ups]\nrate = -1\n", "carriers.ups: rate"},
		{"no data", "[carriers.dhl]\n", "data:"},
		{"bare integer duration", base + "[carriers.ups]\ntimeout = 15\n", "carriers.ups.timeout: 15 is 15ns"},
		{"bare integer threshold", base + "[tracker]\nnever_scanned_after = 48\n", "tracker.never_scanned_after: 48 is 48ns"},
		{"unknown carrier threshold", base + "[tracker]\nstall_after_by_carrier = { royalmial = \"72h\" }\n",
			"tracker.stall_after_by_carrier.royalmial: unknown carrier (wismo knows dhl, dpd, fedex, gls, ups, usps)"},
		{"carrier threshold not a duration", base + "[tracker]\nstall_after_by_carrier = { dhl = \"three days\" }\n", "stall_after_by_carrier"},
		{"negative carrier threshold", base + "[tracker]\nstall_after_by_carrier = { dhl = \"-72h\" }\n", "tracker.stall_after_by_carrier.dhl: -72h0m0s is negative"},
		{"negative never scanned", base + "[tracker]\nnever_scanned_after = \"-48h\"\n", "tracker.never_scanned_after: -48h0m0s is negative"},
		{"negative late grace", base + "[tracker]\nlate_grace = \"-1h\"\n", "tracker.late_grace: -1h0m0s is negative"},
		{"negative ETA slip", base + "[tracker]\neta_slip = \"-24h\"\n", "tracker.eta_slip: -24h0m0s is negative"},
		{"negative stall", base + "[tracker]\nstall_after = \"-1s\"\n", "tracker.stall_after: -1s is negative"},
	}
	for _, tt := range tests {
		_, err := loadConfig(writeConfig(t, tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "inline!") {
			t.Errorf("%s: err = %v, want one naming %q and no secret", tt.name, err, tt.want)
		}
	}
}

func TestMissingCredentialsAreNamedNotShown(t *testing.T) {
	cfg, err := loadConfig(writeConfig(t, readmeConfig(t)))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = cfg.feeds(env("WISMO_UPS_CLIENT_SECRET", "WISMO_AFTERSHIP_WEBHOOK_SECRET"), nil)
	if err == nil {
		t.Fatal("want an error for the unset variables")
	}
	for _, want := range []string{"carriers.ups.client_secret_env: environment variable WISMO_UPS_CLIENT_SECRET is not set",
		"carriers.aftership.webhook_secret_envs: environment variable WISMO_AFTERSHIP_WEBHOOK_SECRET is not set"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant it to say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "secret-value-of") {
		t.Errorf("the error shows a credential: %v", err)
	}
	cfg.Carriers["dhl"] = feed{}
	if _, _, err := cfg.feeds(env(), nil); err == nil || !strings.Contains(err.Error(), "carriers.dhl.api_key_env: name the environment variable") {
		t.Errorf("no api_key_env: err = %v", err)
	}
}

func TestWebhookAddressIsRequiredForPushingCarriers(t *testing.T) {
	if _, err := listenWebhooks("", true); err == nil || !strings.Contains(err.Error(), "webhooks.listen") {
		t.Errorf("no address with a pushing carrier: %v", err)
	}
	if ln, err := listenWebhooks("", false); ln != nil || err != nil {
		t.Errorf("no address, nothing pushing: %v, %v", ln, err)
	}
	ln, err := listenWebhooks("127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := listenWebhooks(ln.Addr().String(), true); err == nil || !strings.Contains(err.Error(), "webhook receiver") {
		t.Errorf("address in use: %v", err)
	}
}

func TestDeskRefusesToStartMisconfigured(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.toml")
	noListen := writeConfig(t, "data = \""+filepath.ToSlash(t.TempDir())+"\"\n[carriers.aftership]\nwebhook_secret_envs = [\"WISMO_TEST_SECRET\"]\n")
	t.Setenv("WISMO_TEST_SECRET", "s")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"desk"}, "usage: wismo desk --config FILE"},
		{[]string{"desk", "--config", missing}, "no such file"},
		{[]string{"desk", "--config", noListen}, "webhooks.listen"},
	}
	for _, tt := range tests {
		if err := run(tt.args, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want an error saying %q", tt.args, err, tt.want)
		}
	}
}
