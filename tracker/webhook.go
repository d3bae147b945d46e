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
func (t *Tracker) Webhooks(hooks ...Hook) http.Handler {
	mux := http.NewServeMux()
	for _, h := range hooks {
		name := h.Webhook.Provider()
		t.pushMu.Lock()
		t.push[name] = &FeedHealth{Feed: name, Push: true}
		t.pushMu.Unlock()
		mux.Handle("POST /webhooks/"+name, t.receiver(h))
	}
	return mux
}

func (t *Tracker) receiver(h Hook) http.HandlerFunc {
	name := h.Webhook.Provider()
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
		if err := h.Webhook.Verify(r.Header, body, h.Secrets); err != nil {
			t.unverified(w, name, http.StatusUnauthorized, err)
			return
		}
		d, err := h.Webhook.Parse(body)
		if err != nil {
			t.quarantine(w, name, err, body)
			return
		}
		replay, err := t.deliver(name, d)
		if err != nil {
			t.log.Error("webhook not stored", "provider", name, "delivery", d.ID, "err", err)
			t.notePush(name, err)
			reply(w, http.StatusInternalServerError, "not stored, try again")
			return
		}
		t.notePush(name, nil)
		if replay {
			reply(w, http.StatusOK, "already applied")
			return
		}
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
// a replay of one already applied. Shipments for numbers the desk does not
// track are skipped: a provider pushes everything on the account.
func (t *Tracker) deliver(provider string, d carriers.Delivery) (replay bool, err error) {
	now := t.now()
	err = t.store.Write(func(tx *store.Tx) error {
		replay = d.ID != "" && tx.SeenDelivery(provider, d.ID)
		if replay {
			return nil
		}
		for _, s := range d.Shipments {
			p, ok, err := pushedParcel(tx, provider, s)
			if err != nil {
				return err
			}
			if ok {
				if err := t.record(tx, p, s, report{source: store.SourceWebhook, feed: provider}, now); err != nil {
					return fmt.Errorf("%s: %w", s.TrackingNumber, err)
				}
			}
		}
		if d.ID == "" {
			return nil
		}
		return tx.MarkDelivery(provider, d.ID, time.Now().UTC())
	})
	return replay, err
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
