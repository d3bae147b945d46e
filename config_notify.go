package main

import (
	"fmt"

	"github.com/wismo/wismo/tracker"
	"github.com/wismo/wismo/tracker/notify"
)

// shopSection is the shop: its name on messages, and the secrets its
// webhooks (orders, fulfillments, returns) are signed with.
type shopSection struct {
	Name              string   `toml:"name"`
	WebhookSecretEnvs []string `toml:"webhook_secret_envs"`
}

// notifySection configures customer notifications: the channels automatic
// messages use, template overrides, quiet hours, and the providers.
type notifySection struct {
	Channels     []string     `toml:"channels"`
	TemplatesDir string       `toml:"templates_dir"`
	QuietFrom    int          `toml:"quiet_from"`
	QuietUntil   int          `toml:"quiet_until"`
	Email        *emailConfig `toml:"email"`
	SMS          *smsConfig   `toml:"sms"`
}

type emailConfig struct {
	Host        string `toml:"host"`
	Port        int    `toml:"port"`
	TLS         string `toml:"tls"`
	From        string `toml:"from"`
	UsernameEnv string `toml:"username_env"`
	PasswordEnv string `toml:"password_env"`
}

type smsConfig struct {
	BaseURL       string `toml:"base_url"`
	AccountSIDEnv string `toml:"account_sid_env"`
	AuthTokenEnv  string `toml:"auth_token_env"`
	From          string `toml:"from"`
	WhatsAppFrom  string `toml:"whatsapp_from"`
}

// outbox builds what customer notifications need: the templates, the
// senders by channel and the worker's settings. A configuration without a
// [notify] section sends nothing and returns a nil notifier.
func (c Config) outbox(getenv func(string) (string, bool)) (*tracker.Notifier, map[notify.Channel]notify.Sender, tracker.OutboxConfig, error) {
	n := c.Notify
	ocfg := tracker.OutboxConfig{QuietFrom: n.QuietFrom, QuietUntil: n.QuietUntil}
	if n.Email == nil && n.SMS == nil {
		return nil, nil, ocfg, nil
	}
	tpl, err := notify.LoadTemplates(n.TemplatesDir)
	if err != nil {
		return nil, nil, ocfg, fmt.Errorf("notify.templates_dir: %w", err)
	}
	senders := map[notify.Channel]notify.Sender{}
	env := envReader{section: "notify", getenv: getenv}
	if n.Email != nil {
		if senders[notify.Email], err = n.Email.sender(&env); err != nil {
			return nil, nil, ocfg, err
		}
	}
	if n.SMS != nil {
		s, err := n.SMS.sender(&env)
		if err != nil {
			return nil, nil, ocfg, err
		}
		senders[notify.SMS], senders[notify.WhatsApp] = s, s
	}
	channels := make([]notify.Channel, 0, len(n.Channels))
	for _, ch := range n.Channels {
		if _, ok := senders[notify.Channel(ch)]; !ok {
			return nil, nil, ocfg, fmt.Errorf("notify.channels: %q has no provider configured", ch)
		}
		channels = append(channels, notify.Channel(ch))
	}
	return &tracker.Notifier{Templates: tpl, Shop: c.Shop.Name, Channels: channels}, senders, ocfg, nil
}

// sender makes the SMTP sender; a credential missing from the environment
// is the error, before the sender is built.
func (e *emailConfig) sender(env *envReader) (notify.Sender, error) {
	cfg := notify.EmailConfig{Host: e.Host, Port: e.Port, TLS: notify.TLSMode(e.TLS), From: e.From}
	if e.UsernameEnv != "" {
		cfg.Username = env.need("email.username_env", e.UsernameEnv)
		cfg.Password = env.need("email.password_env", e.PasswordEnv)
	}
	if err := env.first(); err != nil {
		return nil, err
	}
	return notify.NewEmailSender(cfg)
}

// sender makes the Messages API sender, for SMS and WhatsApp.
func (s *smsConfig) sender(env *envReader) (notify.Sender, error) {
	cfg := notify.SMSConfig{BaseURL: s.BaseURL, From: s.From, WhatsAppFrom: s.WhatsAppFrom,
		AccountSID: env.need("sms.account_sid_env", s.AccountSIDEnv),
		AuthToken:  env.need("sms.auth_token_env", s.AuthTokenEnv)}
	if err := env.first(); err != nil {
		return nil, err
	}
	return notify.NewSMSSender(cfg)
}
