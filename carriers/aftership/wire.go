package aftership

// Payload is the body AfterShip posts to a tracking webhook.
type Payload struct {
	// Event is the event code: "tracking_update" for status changes,
	// "edd_revise" and "tracking_pending_time" for others.
	Event string `json:"event"`
	// EventID is a UUID that a retry of the same event repeats.
	EventID            string `json:"event_id"`
	IsTrackingFirstTag bool   `json:"is_tracking_first_tag,omitempty"`
	// TS is when AfterShip sent the event, in Unix seconds; it is not
	// covered by the signature.
	TS  int64    `json:"ts"`
	Msg Tracking `json:"msg"`
}

// Tracking is AfterShip's tracking object, the webhook's msg.
type Tracking struct {
	// ID is AfterShip's tracking id: one per parcel, even when a carrier
	// recycles the tracking number.
	ID             string `json:"id"`
	TrackingNumber string `json:"tracking_number"`
	// Slug is AfterShip's courier code ("usps", "dhl-germany", "royal-mail").
	Slug          string `json:"slug"`
	Tag           string `json:"tag"`
	Subtag        string `json:"subtag,omitempty"`
	SubtagMessage string `json:"subtag_message,omitempty"`
	ShipmentType  string `json:"shipment_type,omitempty"`
	UpdatedAt     string `json:"updated_at,omitempty"`
	// ExpectedDelivery is the older single-string ETA;
	// LatestEstimatedDelivery replaces it and wins when both are present.
	ExpectedDelivery        string             `json:"expected_delivery,omitempty"`
	FirstEstimatedDelivery  *EstimatedDelivery `json:"first_estimated_delivery,omitempty"`
	LatestEstimatedDelivery *EstimatedDelivery `json:"latest_estimated_delivery,omitempty"`
	// The destination places a naive ETA; AfterShip writes ETAs in the
	// recipient's zone. Older versions name the country
	// destination_country_iso3, newer ones destination_country_region.
	DestinationCountryISO3   string       `json:"destination_country_iso3,omitempty"`
	DestinationCountryRegion string       `json:"destination_country_region,omitempty"`
	DestinationState         string       `json:"destination_state,omitempty"`
	ReturnToSender           bool         `json:"return_to_sender,omitempty"`
	Checkpoints              []Checkpoint `json:"checkpoints"`
}

// EstimatedDelivery is an ETA: one datetime, or a range.
type EstimatedDelivery struct {
	// Type is "specific" or "range".
	Type   string `json:"type,omitempty"`
	Source string `json:"source,omitempty"`
	// Datetime, DatetimeMin and DatetimeMax are "YYYY-MM-DD", naive, or with
	// an offset.
	Datetime     string `json:"datetime,omitempty"`
	DatetimeMin  string `json:"datetime_min,omitempty"`
	DatetimeMax  string `json:"datetime_max,omitempty"`
	ReviseReason string `json:"revise_reason,omitempty"`
}

// Checkpoint is one scan in Tracking.Checkpoints.
type Checkpoint struct {
	Slug string `json:"slug,omitempty"`
	// CreatedAt is when AfterShip learnt of the scan, in UTC; not the scan
	// time.
	CreatedAt string `json:"created_at,omitempty"`
	// CheckpointTime is the scan's local time, with or without an offset.
	CheckpointTime string `json:"checkpoint_time"`
	// Location is free text; City, State and the rest are its parts.
	Location string `json:"location,omitempty"`
	City     string `json:"city,omitempty"`
	State    string `json:"state,omitempty"`
	// Zip was renamed postal_code in webhook version 2026-01; both are read.
	Zip         string `json:"zip,omitempty"`
	PostalCode  string `json:"postal_code,omitempty"`
	CountryISO3 string `json:"country_iso3,omitempty"`
	// CountryRegion is the newer name of CountryISO3.
	CountryRegion string `json:"country_region,omitempty"`
	CountryName   string `json:"country_name,omitempty"`
	Message       string `json:"message,omitempty"`
	Tag           string `json:"tag"`
	Subtag        string `json:"subtag,omitempty"`
	SubtagMessage string `json:"subtag_message,omitempty"`
	// RawTag is the courier's own status code.
	RawTag string `json:"raw_tag,omitempty"`
}
