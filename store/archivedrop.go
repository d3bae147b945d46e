package store

// dropOrder removes an archived order from the hot file: the order and its
// index entries, its parcels with theirs, their exceptions, its returns,
// its notifications and its audit entries.
func (t *Tx) dropOrder(rec archiveRecord) error {
	number := rec.Order.Number
	if err := t.indexOrder(rec.Order, Order{}); err != nil {
		return err
	}
	if err := t.bucket(bucketOrders).Delete([]byte(number)); err != nil {
		return err
	}
	for _, ap := range rec.Parcels {
		if err := t.dropParcel(ap); err != nil {
			return err
		}
	}
	return t.dropHistory(rec)
}

// dropHistory removes an archived order's returns, notifications and
// audit entries from the hot file.
func (t *Tx) dropHistory(rec archiveRecord) error {
	for _, r := range rec.Returns {
		if err := t.bucket(bucketReturns).Delete([]byte(r.RMA)); err != nil {
			return err
		}
	}
	for _, n := range rec.Notifications {
		if err := t.dropNotification(n); err != nil {
			return err
		}
	}
	for _, key := range t.auditKeys(&rec) {
		if err := t.dropAudit(key); err != nil {
			return err
		}
	}
	return nil
}

// dropParcel removes an archived parcel with its exceptions and their
// index entries from the hot file. Resolved exceptions have no idx_exc
// entries to remove.
func (t *Tx) dropParcel(ap archivedParcel) error {
	p, err := t.Parcel(ap.ID)
	if err != nil {
		return err
	}
	id := u64(uint64(p.ID))
	if err := t.bucket(bucketIdxTracking).Delete(indexKey(foldTracking(p.TrackingNumber), id)); err != nil {
		return err
	}
	if err := t.moveParcelIndexes(id, p, &Parcel{}); err != nil {
		return err
	}
	if err := t.bucket(bucketParcels).Delete(id); err != nil {
		return err
	}
	delete(t.parcels, p.ID)
	for _, e := range ap.Exceptions {
		if err := t.bucket(bucketExceptions).Delete(u64(uint64(e.ID))); err != nil {
			return err
		}
		if err := t.bucket(bucketIdxParcelExc).Delete(parcelExceptionKey(e)); err != nil {
			return err
		}
	}
	return nil
}

// dropNotification removes a sent or failed notification and its index
// entries.
func (t *Tx) dropNotification(n Notification) error {
	if n.Key != "" {
		if err := t.bucket(bucketIdxNotifyKey).Delete([]byte(n.Key)); err != nil {
			return err
		}
	}
	if err := t.bucket(bucketIdxNotifyOrder).Delete(notifyOrderKey(n.Order, n.ID)); err != nil {
		return err
	}
	return t.bucket(bucketNotifications).Delete(u64(uint64(n.ID)))
}

// dropAudit removes an audit entry and its index entries.
func (t *Tx) dropAudit(key []byte) error {
	var e AuditEntry
	if err := t.get(bucketAudit, key, &e); err != nil {
		return err
	}
	idx := t.bucket(bucketIdxAudit)
	if e.Parcel != 0 {
		if err := idx.Delete(join(parcelAuditPrefix(e.Parcel), key)); err != nil {
			return err
		}
	}
	if e.Order != "" {
		if err := idx.Delete(join(orderAuditPrefix(e.Order), key)); err != nil {
			return err
		}
	}
	return t.bucket(bucketAudit).Delete(key)
}
