package tracker

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// Hook is one webhook provider the receiver accepts.
type Hook struct {
	Webhook carriers.Webhook
	// Secrets are the provider's signing secrets: more than one while a
	// secret is being rotated, so deliveries signed with the old and the
	// new one both pass.
	Secrets []string
}

// maxWebhookBody caps a webhook body. A tracking push is a few KiB; a
// bigger one is refused before it is read whole.
const maxWebhookBody = 1 << 20

// rememberDeliveries is how long a delivery id is kept to recognise a
// replay. Providers retry over hours to a few days.
const rememberDeliveries = 7 * 24 * time.Hour

// Webhooks returns the receiver: POST /webhooks/{provider} for each hook.
// A parcel whose feed is a hook's provider and has no poller is then fed by
// pushes alone and never polled.
//
// Each call is answered so the provider does the right thing next:
//   - 200 once the delivery's events are committed, or when it is a replay
//     of one already applied;
//   - 401 for a missing or wrong signature (nothing is kept and the feed's
//     health is untouched, bar a count: anyone can post);
//   - 400 for a signed body that cannot be read, so the provider stops
//     retrying; the body is quarantined in the store for inspection;
//   - 413 for a body over 1 MiB;
//   - 500 when the store could not commit, so the provider retries.
func (t *Tracker) Webhooks(hooks ...Hook) http.Handler { return t.Receiver(nil, hooks...) }

// Receiver is Webhooks with the shop's webhook too, at POST
// /webhooks/shopify, when shopSecrets are given: orders, fulfillments and
// returns, signed as Shopify signs. The same answers apply, and two more:
// 409 for news of an order not known yet (the shop sends it again later)
// and 422 for a return move its state machine forbids.
func (t *Tracker) Receiver(shopSecrets []string, hooks ...Hook) http.Handler {
	mux := http.NewServeMux()
	for _, h := range hooks {
		t.register(h.Webhook.Provider())
		mux.Handle("POST /webhooks/"+h.Webhook.Provider(), t.receiver(h))
	}
	if len(shopSecrets) > 0 {
		t.register(shopProvider)
		mux.Handle("POST /webhooks/"+shopProvider, t.receive(shopProvider, shopHook{t: t, secrets: shopSecrets}))
	}
	return mux
}

// register starts a pushing provider's health record.
func (t *Tracker) register(name string) {
	t.pushMu.Lock()
	defer t.pushMu.Unlock()
	t.push[name] = &FeedHealth{Feed: name, Push: true}
}

func (t *Tracker) receiver(h Hook) http.HandlerFunc {
	return t.receive(h.Webhook.Provider(), pushHook{t: t, Hook: h})
}

// inbound is one kind of signed webhook the receiver takes: a carrier's
// tracking push, or the shop's orders.
type inbound interface {
	verify(h http.Header, body []byte) error
	// parse reads a verified body into the delivery's id (empty when the
	// sender gives none) and the write that applies it.
	parse(h http.Header, body []byte) (id string, apply func(*store.Tx) error, err error)
}

// receive is the handler for one provider: read, verify, parse, apply in
// one transaction with the replay check, and answer.
func (t *Tracker) receive(name string, in inbound) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			t.unverified(w, name, http.StatusRequestEntityTooLarge, errors.New("body larger than 1 MiB"))
			return
		case err != nil:
			t.unverified(w, name, http.StatusBadRequest, fmt.Errorf("reading body: %w", err))
			return
		}
		if err := in.verify(r.Header, body); err != nil {
			t.unverified(w, name, http.StatusUnauthorized, err)
			return
		}
		if t.heldPush(w, name) {
			return
		}
		id, apply, err := in.parse(r.Header, body)
		if err != nil {
			t.quarantine(w, name, err, body)
			return
		}
		replay, err := t.deliver(name, id, apply)
		t.answer(w, name, id, replay, err)
	}
}

// answer tells the sender how its delivery went: applied (or a replay of
// one applied), to be sent again later, or refused for good.
func (t *Tracker) answer(w http.ResponseWriter, name, id string, replay bool, err error) {
	t.notePush(name, err)
	switch {
	case errors.Is(err, ErrOrderUnknown):
		reply(w, http.StatusConflict, err.Error()+": send it again later")
	case errors.Is(err, store.ErrBadMove):
		reply(w, http.StatusUnprocessableEntity, err.Error())
	case err != nil:
		t.log.Error("webhook not stored", "provider", name, "delivery", id, "err", err)
		reply(w, http.StatusInternalServerError, "not stored, try again")
	case replay:
		reply(w, http.StatusOK, "already applied")
	default:
		reply(w, http.StatusOK, "applied")
	}
}

// unverified answers a call refused before its signature could vouch for
// it. Anyone can post, so such calls are only counted: they must not make
// the provider's feed look broken or fill the log.
func (t *Tracker) unverified(w http.ResponseWriter, provider string, code int, why error) {
	t.log.Debug("webhook refused unverified", "provider", provider, "status", code, "err", why)
	t.pushMu.Lock()
	t.push[provider].Unverified++
	t.pushMu.Unlock()
	reply(w, code, why.Error())
}

// quarantine answers 400 to a signed body that cannot be read, so the
// provider stops retrying it, logs why, and keeps the body for inspection.
func (t *Tracker) quarantine(w http.ResponseWriter, provider string, why error, body []byte) {
	t.log.Warn("webhook refused", "provider", provider, "err", why)
	t.notePush(provider, why)
	q := store.Quarantined{Provider: provider, At: time.Now().UTC(), Reason: why.Error(), Body: body}
	if err := t.store.Write(func(tx *store.Tx) error { return tx.Quarantine(q) }); err != nil {
		t.log.Error("webhook body not quarantined", "provider", provider, "err", err)
	}
	reply(w, http.StatusBadRequest, why.Error())
}

func reply(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"status": msg})
}

// deliver applies a delivery in one transaction and reports whether it was
// a replay of one already applied.
func (t *Tracker) deliver(provider, id string, apply func(*store.Tx) error) (replay bool, err error) {
	err = t.store.Write(func(tx *store.Tx) error {
		replay = id != "" && tx.SeenDelivery(provider, id)
		if replay {
			return nil
		}
		if err := apply(tx); err != nil {
			return err
		}
		if id == "" {
			return nil
		}
		return tx.MarkDelivery(provider, id, time.Now().UTC())
	})
	return replay, err
}

// pushHook is a carrier's tracking webhook as the receiver takes it.
type pushHook struct {
	t *Tracker
	Hook
}

func (p pushHook) verify(h http.Header, body []byte) error {
	return p.Webhook.Verify(h, body, p.Secrets)
}

func (p pushHook) parse(_ http.Header, body []byte) (string, func(*store.Tx) error, error) {
	d, err := p.Webhook.Parse(body)
	if err != nil {
		return "", nil, err
	}
	return d.ID, func(tx *store.Tx) error { return p.t.applyPush(tx, p.Webhook.Provider(), d) }, nil
}

// applyPush records a pushed delivery's shipments. Shipments for numbers
// the desk does not track are skipped: a provider pushes everything on the
// account.
func (t *Tracker) applyPush(tx *store.Tx, provider string, d carriers.Delivery) error {
	now := t.now()
	for _, s := range d.Shipments {
		p, ok, err := pushedParcel(tx, provider, s)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := t.record(tx, p, newsOf(s), report{source: store.SourceWebhook, feed: provider}, now); err != nil {
			return fmt.Errorf("%s: %w", s.TrackingNumber, err)
		}
	}
	return nil
}

// pushedParcel finds the parcel a pushed shipment is about: the one with
// its number that this provider feeds, else the one with its number and
// carrier (news of a parcel another feed polls). Refs are compared only
// within the provider's own parcels: a parcel bound to another of its
// shipments under a recycled number is not it.
func pushedParcel(tx *store.Tx, provider string, s carriers.Shipment) (store.Parcel, bool, error) {
	ps, err := tx.ParcelsByTracking(s.TrackingNumber)
	if err != nil {
		return store.Parcel{}, false, err
	}
	for _, p := range ps {
		if p.FeedName() == provider && (p.CarrierRef == "" || s.Ref == "" || p.CarrierRef == s.Ref) {
			return p, true, nil
		}
	}
	for _, p := range ps {
		if p.FeedName() != provider && p.Carrier == s.Carrier {
			return p, true, nil
		}
	}
	return store.Parcel{}, false, nil
}

// notePush records a webhook call's outcome in the provider's health.
func (t *Tracker) notePush(provider string, err error) {
	t.pushMu.Lock()
	defer t.pushMu.Unlock()
	h := t.push[provider]
	if err == nil {
		h.Deliveries++
	} else {
		h.Rejected++
	}
	noteOutcome(h, err)
}

// forgetDeliveries drops delivery ids too old to be replayed. It writes
// only when one is: the sweep runs every second, and an idle desk must not
// commit, and wake every screen, for nothing.
func (t *Tracker) forgetDeliveries() error {
	cutoff := time.Now().Add(-rememberDeliveries)
	var due bool
	t.store.View(func(tx *store.Tx) error {
		oldest := tx.OldestDelivery()
		due = !oldest.IsZero() && oldest.Before(cutoff)
		return nil
	})
	if !due {
		return nil
	}
	return t.store.Write(func(tx *store.Tx) error {
		_, err := tx.ForgetDeliveries(cutoff, 1024)
		return err
	})
}
