package tracker

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wismo/wismo/carriers"
	"github.com/wismo/wismo/store"
)

// signedPush is a provider whose body is {"id", "number", "events"} and
// whose signature is X-Sig: hex(HMAC-SHA256(body)). It stands for any
// provider: the receiver only sees the carriers.Webhook interface.
type signedPush struct{}

func (signedPush) Provider() string { return "pushco" }

func (signedPush) Verify(h http.Header, body []byte, secrets []string) error {
	mac, err := hex.DecodeString(h.Get("X-Sig"))
	keys := make([][]byte, len(secrets))
	for i, s := range secrets {
		keys[i] = []byte(s)
	}
	if err != nil || !carriers.MatchHMAC(body, mac, keys) {
		return carriers.ErrSignature
	}
	return nil
}

func (signedPush) Parse(body []byte) (carriers.Delivery, error) {
	var p pushBody
	if err := json.Unmarshal(body, &p); err != nil {
		return carriers.Delivery{}, fmt.Errorf("pushco: %w", err)
	}
	return carriers.Delivery{ID: p.ID, Shipments: []carriers.Shipment{
		{Carrier: "dhl", TrackingNumber: p.Number, Ref: p.Ref, Events: p.Events}}}, nil
}

type pushBody struct {
	ID     string           `json:"id"`
	Number string           `json:"number"`
	Ref    string           `json:"ref,omitempty"`
	Events []carriers.Event `json:"events"`
}

// receiver serves the tracker's webhooks on a real loopback server.
func receiver(t testing.TB, tr *Tracker, secrets ...string) string {
	srv := httptest.NewServer(tr.Webhooks(Hook{Webhook: signedPush{}, Secrets: secrets}))
	t.Cleanup(srv.Close)
	return srv.URL + "/webhooks/pushco"
}

func push(t testing.TB, url, secret string, body []byte) (int, string) {
	t.Helper()
	code, msg, _ := pushAnswer(t, url, secret, body)
	return code, msg
}

// pushAnswer posts body signed with secret (unsigned when it is empty) and
// returns the status, the answer's message and its Retry-After.
func pushAnswer(t testing.TB, url, secret string, body []byte) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if secret != "" {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write(body)
		req.Header.Set("X-Sig", hex.EncodeToString(m.Sum(nil)))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var msg struct{ Status string }
	json.NewDecoder(resp.Body).Decode(&msg)
	return resp.StatusCode, msg.Status, resp.Header.Get("Retry-After")
}

func pushOf(t testing.TB, id, number string, events ...carriers.Event) []byte {
	b, err := json.Marshal(pushBody{ID: id, Number: number, Events: events})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func event(at time.Duration, status carriers.Status, text string) carriers.Event {
	return carriers.Event{Time: t0.Add(at), TZKnown: true, LocalTime: t0.Add(at).Format(time.RFC3339),
		RawCode: string(status), RawText: text, Status: status, Rule: "pushco/" + string(status)}
}

func TestWebhookAppliesASignedDeliveryOnce(t *testing.T) {
	st := openStore(t)
	id := addParcel(t, st, "JJD1", time.Time{})
	tr, _ := newTracker(st, newClock(t0.Add(time.Hour)))
	url := receiver(t, tr, "new-secret", "old-secret")

	first := pushOf(t, "evt_1", "JJD1", event(0, carriers.StatusInTransit, "Processed"))
	if code, msg := push(t, url, "old-secret", first); code != 200 || msg != "applied" {
		t.Fatalf("delivery signed with the rotated-out secret: %d %q, want 200 applied", code, msg)
	}
	// The same delivery id again, even with other content, is a replay.
	replay := pushOf(t, "evt_1", "JJD1", event(time.Minute, carriers.StatusException, "Damaged"))
	if code, msg := push(t, url, "new-secret", replay); code != 200 || msg != "already applied" {
		t.Fatalf("replay: %d %q, want 200 already applied", code, msg)
	}
	d := detail(t, st, id)
	if len(d.Events) != 1 || d.Parcel.Status != store.StatusInTransit || d.Events[0].Source != store.SourceWebhook {
		t.Errorf("parcel %s with %d events, want in_transit from the first delivery only", d.Parcel.Status, len(d.Events))
	}
	h := tr.Health()
	if len(h) != 1 || !h[0].Push || h[0].Deliveries != 2 || h[0].Rejected != 0 {
		t.Errorf("health = %+v", h)
	}
}

func TestWebhookRefusesBadCalls(t *testing.T) {
	st := openStore(t)
	id := addParcel(t, st, "JJD1", time.Time{})
	tr, logs := newTracker(st, newClock(t0.Add(time.Hour)))
	url := receiver(t, tr, "s3cret")
	good := pushOf(t, "evt_1", "JJD1", event(0, carriers.StatusInTransit, "Processed"))
	tests := []struct {
		name   string
		secret string
		body   []byte
		code   int
	}{
		{"unsigned", "", good, http.StatusUnauthorized},
		{"wrong secret", "guess", good, http.StatusUnauthorized},
		{"signed malformed", "s3cret", []byte(`{"id": "evt_2", "events": [`), http.StatusBadRequest},
		{"over 1 MiB", "s3cret", append(good, bytes.Repeat([]byte(" "), maxWebhookBody)...), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		if code, _ := push(t, url, tt.secret, tt.body); code != tt.code {
			t.Errorf("%s: HTTP %d, want %d", tt.name, code, tt.code)
		}
	}
	if d := detail(t, st, id); len(d.Events) != 0 {
		t.Errorf("refused calls stored %d events", len(d.Events))
	}
	// Only the signed but unreadable body is kept: the others could come
	// from anyone.
	q, err := st.Quarantined(10)
	if err != nil || len(q) != 1 || string(q[0].Body) != `{"id": "evt_2", "events": [` || q[0].Provider != "pushco" {
		t.Errorf("quarantine = %+v, %v; want the malformed body alone", q, err)
	}
	if strings.Contains(logs.String(), "s3cret") {
		t.Error("the log holds the secret")
	}
	// Calls anyone could send are counted, not held against the feed.
	if h := tr.Health()[0]; h.Unverified != 3 || h.Rejected != 1 || h.ConsecutiveFailures != 1 {
		t.Errorf("health = %+v, want 3 unverified, and 1 rejected: the signed unreadable body", h)
	}
	resp, err := http.Get(url)
	if err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %v %v, want 405", resp.StatusCode, err)
	}
}

func TestWebhookSkipsNumbersNotTracked(t *testing.T) {
	st := openStore(t)
	tr, _ := newTracker(st, newClock(t0))
	url := receiver(t, tr, "s")
	if code, _ := push(t, url, "s", pushOf(t, "evt_9", "NOT-OURS", event(0, carriers.StatusInTransit, "x"))); code != 200 {
		t.Errorf("HTTP %d, want 200: a push about another number is not an error", code)
	}
}

// A 2xx goes out only after the commit: when the store cannot write, the
// provider is told to try again.
func TestWebhookAnswers500WhenNothingWasStored(t *testing.T) {
	st := openStore(t)
	addParcel(t, st, "JJD1", time.Time{})
	tr, _ := newTracker(st, newClock(t0))
	url := receiver(t, tr, "s")
	st.Close()
	if code, _ := push(t, url, "s", pushOf(t, "evt_1", "JJD1", event(0, carriers.StatusInTransit, "x"))); code != http.StatusInternalServerError {
		t.Errorf("HTTP %d, want 500", code)
	}
}

// A parcel fed by pushes alone is never due for a poll.
func TestPushOnlyParcelsAreNotPolled(t *testing.T) {
	st := openStore(t)
	var id store.ParcelID
	err := st.Update(func(tx *store.Tx) error {
		p := store.Parcel{Carrier: "dhl", Feed: "pushco", TrackingNumber: "JJD7", Order: "#7", Status: store.StatusPending}
		if err := tx.CreateParcel(&p); err != nil {
			return err
		}
		id = p.ID
		return tx.PutOrder(store.Order{Number: "#7", Parcels: []store.ParcelID{p.ID}})
	})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := newTracker(st, newClock(t0))
	url := receiver(t, tr, "s")
	push(t, url, "s", pushOf(t, "evt_1", "JJD7", event(0, carriers.StatusInTransit, "x")))
	if p := detail(t, st, id).Parcel; !p.NextPollAt.IsZero() || p.Status != store.StatusInTransit {
		t.Errorf("parcel %s next poll %v, want in_transit and never polled", p.Status, p.NextPollAt)
	}
	if n, _ := tr.PollDue(context.Background()); n != 0 {
		t.Errorf("polled %d, want 0", n)
	}
}

// A parcel due for a poll whose feed only pushes is taken off the poll
// schedule without an error.
func TestDuePushOnlyParcelLeavesTheSchedule(t *testing.T) {
	st := openStore(t)
	var id store.ParcelID
	err := st.Update(func(tx *store.Tx) error {
		p := store.Parcel{Carrier: "dpd", Feed: "pushco", TrackingNumber: "0150", Order: "#8", Status: store.StatusPending, NextPollAt: t0}
		if err := tx.CreateParcel(&p); err != nil {
			return err
		}
		id = p.ID
		return tx.PutOrder(store.Order{Number: "#8", Parcels: []store.ParcelID{p.ID}})
	})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := newTracker(st, newClock(t0))
	receiver(t, tr, "s")
	if n, err := tr.PollDue(context.Background()); n != 1 || err != nil {
		t.Fatalf("PollDue = %d, %v", n, err)
	}
	if p := detail(t, st, id).Parcel; !p.NextPollAt.IsZero() || p.PollFailures != 0 || p.LastError != "" {
		t.Errorf("parcel next poll %v, %d failures %q; want off the schedule, no failure", p.NextPollAt, p.PollFailures, p.LastError)
	}
}

// The sweep forgets old delivery ids, and commits nothing when none is old.
func TestForgettingDeliveriesWritesOnlyWhenDue(t *testing.T) {
	st := openStore(t)
	tr, _ := newTracker(st, newClock(t0))
	before := commits(t, st)
	if err := tr.forgetDeliveries(); err != nil || commits(t, st) != before {
		t.Fatalf("idle forget: %v, %d commits; want none", err, commits(t, st)-before)
	}
	old := time.Now().Add(-rememberDeliveries - time.Hour)
	if err := st.Update(func(tx *store.Tx) error { return tx.MarkDelivery("pushco", "evt_old", old) }); err != nil {
		t.Fatal(err)
	}
	if err := tr.forgetDeliveries(); err != nil {
		t.Fatal(err)
	}
	st.View(func(tx *store.Tx) error {
		if tx.SeenDelivery("pushco", "evt_old") {
			t.Error("a delivery id older than rememberDeliveries is still kept")
		}
		return nil
	})
}

// News pushed by an aggregator about a parcel another feed polls lands on
// it, but does not bind it to the aggregator's shipment id, and its odd
// codes are counted under the aggregator.
func TestPushAboutAPolledParcelLeavesItsBinding(t *testing.T) {
	st := openStore(t)
	id := addParcel(t, st, "JJD5", t0.Add(24*time.Hour))
	tr, _ := newTracker(st, newClock(t0.Add(time.Hour)))
	url := receiver(t, tr, "s")
	odd := event(time.Minute, carriers.StatusUnknown, "??")
	odd.RawCode, odd.Unmapped = "Q9", true
	body, err := json.Marshal(pushBody{ID: "evt_1", Number: "JJD5", Ref: "agg-77",
		Events: []carriers.Event{event(0, carriers.StatusInTransit, "Processed"), odd}})
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := push(t, url, "s", body); code != 200 {
		t.Fatalf("HTTP %d", code)
	}
	d := detail(t, st, id)
	if len(d.Events) != 2 || d.Parcel.CarrierRef != "" || d.Parcel.Status != store.StatusInTransit {
		t.Errorf("parcel %s, ref %q, %d events; want the news applied and no binding to the aggregator's id",
			d.Parcel.Status, d.Parcel.CarrierRef, len(d.Events))
	}
	if codes, _ := st.UnmappedCodes(); len(codes) != 1 || codes[0].Carrier != "pushco" {
		t.Errorf("unmapped codes %v, want Q9 under pushco", codes)
	}
}
