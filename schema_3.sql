-- Migration 3: national scale (issue 18). The hot queries (`due`, `escalate`, the lists, the
-- wash-up) read through these indexes instead of scanning a million referrals.

-- Open referrals by state and cluster (an area's list); replaces the index on state alone.
CREATE INDEX referrals_state_cluster ON referrals(state, cluster_id);
DROP INDEX referrals_state;

-- Active packages whose financial assessment is still outstanding (`due`, `escalate`).
CREATE INDEX referrals_fa_open ON referrals(cluster_id)
    WHERE state = 'active' AND fa_done_at IS NULL AND fa_due IS NOT NULL;

-- A placed package's first review is recorded (kept by the trigger below, never by hand), so that
-- the reviews still to book are read from a partial index, not from every placed package.
ALTER TABLE referrals ADD COLUMN pir_done INTEGER NOT NULL DEFAULT 0 CHECK (pir_done IN (0, 1));
UPDATE referrals SET pir_done = 1 WHERE id IN (SELECT referral_id FROM pir_reviews);
CREATE TRIGGER pir_reviews_done AFTER INSERT ON pir_reviews
BEGIN UPDATE referrals SET pir_done = 1 WHERE id = NEW.referral_id; END;

-- Placed packages whose first review hcp schedules: not yet reviewed, not a minor change, and
-- whose review window (start + 28 days known to ACT, else up to start + 56 days: domain::review)
-- had not closed when the package came into hcp. A package imported long after its review was
-- due had that review under the old process. store::referrals::TO_REVIEW repeats this condition.
CREATE INDEX referrals_to_review ON referrals(cluster_id)
    WHERE state IN ('confirmed', 'active') AND minor_change = 0 AND pir_done = 0
      AND COALESCE(confirmed_start, start_date) >= date(created_at, CASE known_to_act WHEN 1 THEN '-28 days' ELSE '-56 days' END);

-- Open escalations (the desk's lists, `due`'s teleconferences).
CREATE INDEX escalations_open ON escalations(id) WHERE resolved_at IS NULL;

-- Events by who recorded them (`due --mine`).
CREATE INDEX events_user ON events(user, referral_id);

-- Escalations raised or resolved in a period (the wash-up).
CREATE INDEX escalations_raised ON escalations(raised_at);
CREATE INDEX escalations_resolved ON escalations(resolved_at) WHERE resolved_at IS NOT NULL;

-- Reviews whose AIS update is outstanding (`due`, `escalate`).
CREATE INDEX pir_reviews_ais_open ON pir_reviews(ais_due) WHERE ais_updated IS NULL;

-- Packages placed with a provider (a sanctioned provider's clients, handbacks).
CREATE INDEX referrals_provider ON referrals(provider_id) WHERE provider_id IS NOT NULL;

-- What `escalate` last looked at, so that a run with nothing new does nearly nothing (a cache:
-- a full run rebuilds it): the last event it had seen, when it ran and which build ran it, and
-- for each referral it evaluated the first instant the clock alone may change what is due
-- (domain::watch). A referral with an event since, or whose instant has come, is evaluated again.
CREATE TABLE escalate_watermark (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    event_id INTEGER NOT NULL,
    run_at   TEXT NOT NULL,
    version  TEXT NOT NULL
) STRICT;
CREATE TABLE escalate_checks (
    referral_id INTEGER PRIMARY KEY REFERENCES referrals(id),
    next_at     TEXT NOT NULL
) STRICT;
CREATE INDEX escalate_checks_next ON escalate_checks(next_at);

-- The wash-up: referrals changed since a period began; placements whose first review a period's
-- figures can count (not yet reviewed, starting recently, reviewed or booked since, or with the
-- AIS update outstanding); offers by when they were made are indexed already (migration 2).
CREATE INDEX referrals_updated ON referrals(updated_at);
CREATE INDEX referrals_unreviewed ON referrals(cluster_id) WHERE pir_done = 0 AND confirmed_at IS NOT NULL;
CREATE INDEX referrals_care_start ON referrals(COALESCE(confirmed_start, start_date)) WHERE confirmed_at IS NOT NULL;
CREATE INDEX pir_reviews_recorded ON pir_reviews(recorded_at);
CREATE INDEX pir_reviews_ais_updated ON pir_reviews(ais_updated);
CREATE INDEX pir_bookings_booked ON pir_bookings(booked_at);
