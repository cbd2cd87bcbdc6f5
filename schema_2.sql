-- hcp schema, migration 2: the typed model. Enum columns get CHECK constraints listing every word
-- hcp writes; the documents checklist, missing items and call times become JSON arrays (they were
-- comma-joined text). SQLite cannot add a CHECK to a column, so each table is rebuilt the SQLite
-- way (create new, copy, drop old, rename) in the migration's one transaction, with foreign keys
-- off (store::migrate) and checked before commit. Data is kept. New referral columns: the PO's
-- form-sent time, days a week, and what flexible care and rates need (client group, service,
-- direct payment, enablement eligibility, rate type, nights).

CREATE TABLE referrals_v2 (
    id                      INTEGER PRIMARY KEY,
    client_id               TEXT NOT NULL,
    name                    TEXT NOT NULL,
    date_of_birth           TEXT,
    address                 TEXT,
    postcode                TEXT,
    msoa_code               TEXT REFERENCES msoas(code),
    cluster_id              INTEGER REFERENCES clusters(id),
    cluster_by_hand         INTEGER NOT NULL DEFAULT 0,
    next_of_kin             TEXT,
    lives_alone             INTEGER NOT NULL DEFAULT 0,
    known_to_act            INTEGER NOT NULL DEFAULT 0,
    dementia                INTEGER NOT NULL DEFAULT 0,
    funding                 TEXT CHECK (funding IN ('kcc', 'self', 'chc', 'other-la')),
    team                    TEXT NOT NULL CHECK (team IN ('act', 'stp', 'keah')),
    referrer                TEXT NOT NULL,
    referrer_email          TEXT,
    received_at             TEXT NOT NULL,
    start_date              TEXT NOT NULL,
    calls_per_day           INTEGER NOT NULL,
    minutes_per_call        INTEGER NOT NULL,
    days_per_week           INTEGER NOT NULL DEFAULT 7 CHECK (days_per_week BETWEEN 1 AND 7),
    weekly_minutes          INTEGER NOT NULL,
    hours_given             INTEGER NOT NULL DEFAULT 0,
    double_handed           INTEGER NOT NULL DEFAULT 0,
    hospital_discharge      INTEGER NOT NULL DEFAULT 0,
    in_keah                 INTEGER NOT NULL DEFAULT 0,
    recent_keah             INTEGER NOT NULL DEFAULT 0,
    bypass_keah             INTEGER NOT NULL DEFAULT 0,
    enablement_ended        TEXT,
    risk                    TEXT,
    time_critical           TEXT,
    docs                    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(docs) AND json_type(docs) = 'array'),
    docs_assumed            INTEGER NOT NULL DEFAULT 0,
    authorised_weekly_pence INTEGER,
    estimated_weekly_pence  INTEGER,
    notes                   TEXT,
    state                   TEXT NOT NULL CHECK (state IN ('incomplete', 'waiting', 'offered', 'considering', 'tentative',
                                'accepted', 'confirmed', 'active', 'cancelled', 'ended')),
    missing                 TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(missing) AND json_type(missing) = 'array'),
    list_date               TEXT,
    parent_id               INTEGER REFERENCES referrals(id),
    handback                INTEGER NOT NULL DEFAULT 0,
    handback_reason         TEXT CHECK (handback_reason IN ('client-choice', 'call-times', 'capacity', 'staffing', 'risk', 'other', 'notice')),
    handback_notified       TEXT,
    handback_end            TEXT,
    handback_provider_id    INTEGER REFERENCES providers(id),
    minor_change            INTEGER NOT NULL DEFAULT 0,
    provider_id             INTEGER REFERENCES providers(id),
    placement_type          TEXT CHECK (placement_type IN ('contract', 'exception', 'indi')),
    accepted_at             TEXT,
    form_sent_at            TEXT,
    confirmed_at            TEXT,
    confirmed_start         TEXT,
    provider_ref            TEXT,
    call_times              TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(call_times) AND json_type(call_times) = 'array'),
    indi_completed_at       TEXT,
    sdo_due                 TEXT,
    sdo_sent_at             TEXT,
    fa_due                  TEXT,
    fa_done_at              TEXT,
    cancel_reason           TEXT,
    client_group            TEXT CHECK (client_group IN ('older-people', 'physical-disability', 'learning-disability', 'mental-health')),
    service                 TEXT CHECK (service IN ('older-people-homecare', 'extra-care', 'sis', 'bhal')),
    direct_payment          INTEGER NOT NULL DEFAULT 0,
    enablement_eligible     INTEGER NOT NULL DEFAULT 0,
    rate_type               TEXT NOT NULL DEFAULT 'standard' CHECK (rate_type IN ('standard', 'complex', 'high-complex-pbs')),
    sleep_nights            INTEGER NOT NULL DEFAULT 0 CHECK (sleep_nights BETWEEN 0 AND 7),
    wake_nights             INTEGER NOT NULL DEFAULT 0 CHECK (wake_nights BETWEEN 0 AND 7),
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
) STRICT;

INSERT INTO referrals_v2 (id, client_id, name, date_of_birth, address, postcode, msoa_code, cluster_id, cluster_by_hand, next_of_kin, lives_alone, known_to_act, dementia, funding, team, referrer, referrer_email, received_at, start_date, calls_per_day, minutes_per_call, weekly_minutes, hours_given, double_handed, hospital_discharge, in_keah, recent_keah, bypass_keah, enablement_ended, risk, time_critical, docs, authorised_weekly_pence, estimated_weekly_pence, notes, state, missing, list_date, parent_id, handback, minor_change, provider_id, placement_type, accepted_at, confirmed_at, confirmed_start, provider_ref, call_times, indi_completed_at, sdo_due, sdo_sent_at, fa_due, fa_done_at, cancel_reason, created_at, updated_at)
SELECT id, client_id, name, date_of_birth, address, postcode, msoa_code, cluster_id, cluster_by_hand, next_of_kin, lives_alone, known_to_act, dementia, funding, team, referrer, referrer_email, received_at, start_date, calls_per_day, minutes_per_call, weekly_minutes, hours_given, double_handed, hospital_discharge, in_keah, recent_keah, bypass_keah, enablement_ended, risk, time_critical, CASE WHEN docs IS NULL OR trim(docs) = '' THEN '[]' ELSE '["' || replace(replace(docs, ' ', ''), ',', '","') || '"]' END, authorised_weekly_pence, estimated_weekly_pence, notes, state, CASE WHEN missing IS NULL OR trim(missing) = '' THEN '[]' ELSE '["' || replace(replace(missing, ' ', ''), ',', '","') || '"]' END, list_date, parent_id, handback, minor_change, provider_id, placement_type, accepted_at, confirmed_at, confirmed_start, provider_ref, CASE WHEN call_times IS NULL OR trim(call_times) = '' THEN '[]' ELSE '["' || replace(replace(call_times, ' ', ''), ',', '","') || '"]' END, indi_completed_at, sdo_due, sdo_sent_at, fa_due, fa_done_at, cancel_reason, created_at, updated_at
FROM referrals;

CREATE TABLE offers_v2 (
    id              INTEGER PRIMARY KEY,
    referral_id     INTEGER NOT NULL REFERENCES referrals(id),
    provider_id     INTEGER NOT NULL REFERENCES providers(id),
    tier            TEXT NOT NULL CHECK (tier IN ('clustered', 'other_contracted', 'non_contracted')),
    placement_type  TEXT NOT NULL CHECK (placement_type IN ('contract', 'exception', 'indi')),
    offered_at      TEXT NOT NULL,
    deadline        TEXT NOT NULL,
    response        TEXT CHECK (response IN ('accept', 'tentative', 'decline', 'considering', 'partial', 'lapsed')),
    responded_at    TEXT,
    reason          TEXT CHECK (reason IN ('no-capacity', 'geography', 'call-times', 'double-handed', 'complexity', 'price', 'other')),
    reason_text     TEXT,
    until           TEXT,
    future_start    TEXT,
    calls           INTEGER,
    override_reason TEXT,
    offered_by      TEXT NOT NULL
) STRICT;

INSERT INTO offers_v2 (id, referral_id, provider_id, tier, placement_type, offered_at, deadline, response, responded_at, reason, reason_text, until, future_start, calls, override_reason, offered_by) SELECT id, referral_id, provider_id, tier, placement_type, offered_at, deadline, response, responded_at, reason, reason_text, until, future_start, calls, override_reason, offered_by FROM offers;

CREATE TABLE escalations_v2 (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER REFERENCES referrals(id),
    area_id     INTEGER REFERENCES areas(id),
    provider_id INTEGER REFERENCES providers(id),
    rule        TEXT NOT NULL CHECK (rule IN (
        'waiting-5', 'waiting-10', 'lapsed', 'considering', 'considering-expired', 'future-start',
        'non-contracted-permission', 'sanctioned', 'confirmation-overdue', 'sdo-overdue', 'financial-assessment-overdue',
        'handback', 'area-teleconference', 'keah-overstayer', 'flex-day-7', 'multiple-handback-teleconference',
        'provider-teleconference', 'exit-debrief', 'pir-overdue', 'ais-overdue', 'manual')),
    to_whom     TEXT NOT NULL CHECK (to_whom IN ('po', 'asm', 'tm', 'ad', 'amt', 'cm')),
    trigger_key TEXT NOT NULL,
    note        TEXT,
    raised_at   TEXT NOT NULL,
    raised_by   TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    decision    TEXT CHECK (decision IN ('approve-non-contracted', 'approach-next', 'wait', 'accept-future-start',
        'refuse-future-start', 'allow-sanctioned', 'noted')),
    decision_note TEXT
) STRICT;

INSERT INTO escalations_v2 (id, referral_id, area_id, provider_id, rule, to_whom, trigger_key, note, raised_at, raised_by, resolved_at, resolved_by, decision, decision_note) SELECT id, referral_id, area_id, provider_id, rule, to_whom, trigger_key, note, raised_at, raised_by, resolved_at, resolved_by, decision, decision_note FROM escalations;

DROP TABLE escalations;
DROP TABLE offers;
DROP TABLE referrals;
ALTER TABLE referrals_v2 RENAME TO referrals;
ALTER TABLE offers_v2 RENAME TO offers;
ALTER TABLE escalations_v2 RENAME TO escalations;

CREATE INDEX referrals_state ON referrals(state);
CREATE INDEX referrals_client ON referrals(client_id, received_at);
CREATE INDEX referrals_cluster ON referrals(cluster_id);
CREATE INDEX offers_referral ON offers(referral_id, offered_at);
CREATE INDEX offers_provider ON offers(provider_id, offered_at);
CREATE UNIQUE INDEX escalations_once ON escalations(rule, IFNULL(referral_id, 0), IFNULL(area_id, 0), trigger_key);
CREATE INDEX escalations_referral ON escalations(referral_id);

-- Providers: CQC's Provider ID and the date of its latest check (from CQC's files), and whether
-- the provider has signed up to flexible domiciliary care (seed 004).
ALTER TABLE providers ADD COLUMN cqc_id TEXT;
ALTER TABLE providers ADD COLUMN cqc_checked TEXT;
ALTER TABLE providers ADD COLUMN flex INTEGER NOT NULL DEFAULT 0 CHECK (flex IN (0, 1));

-- The audit log made tamper-evident (store::audit): each event's hash covers its content and the
-- previous event's hash; the head (count, last hash) is kept beside the log. A replayed id
-- (`REPLACE INTO events`) is refused. Existing events are hashed by the migration's Rust step,
-- which lifts the no-update guard for that and puts it back (store::migrate).
ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    count INTEGER NOT NULL,
    hash  TEXT NOT NULL
) STRICT;
CREATE TRIGGER events_no_replace BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: an event id cannot be used again'); END;
DROP TRIGGER events_no_update;

-- Capacity reports are withdrawn, never deleted (`hcp capacity remove`).
ALTER TABLE capacity ADD COLUMN withdrawn_at TEXT;
ALTER TABLE capacity ADD COLUMN withdrawn_by TEXT;

-- Provider exits (seed 001): one row per exit, and the tracker — one row per affected client.
CREATE TABLE provider_exits (
    id                   INTEGER PRIMARY KEY,
    provider_id          INTEGER NOT NULL REFERENCES providers(id),
    exit_type            TEXT NOT NULL CHECK (exit_type IN ('enforced', 'planned', 'emergency')),
    notified_at          TEXT NOT NULL,
    end_date             TEXT NOT NULL,
    opened_at            TEXT NOT NULL,
    opened_by            TEXT NOT NULL
) STRICT;
CREATE INDEX provider_exits_provider ON provider_exits(provider_id);
CREATE TABLE exit_clients (
    exit_id              INTEGER NOT NULL REFERENCES provider_exits(id),
    referral_id          INTEGER NOT NULL REFERENCES referrals(id),
    incoming_provider_id INTEGER REFERENCES providers(id),
    contacted_at         TEXT,
    sdo_shared_at        TEXT,
    safety_check_at      TEXT,
    in_hospital          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (exit_id, referral_id)
) STRICT, WITHOUT ROWID;

-- CQC's own files (`hcp import cqc-directory`, `hcp import cqc-ratings`): each Kent homecare
-- location, the provider it belongs to (by CQC Provider ID or by name), its latest check and
-- its overall rating; the provider's rating is its locations' most recent overall rating.
CREATE TABLE cqc_locations (
    location_id      TEXT PRIMARY KEY,
    cqc_provider_id  TEXT,
    provider_id      INTEGER REFERENCES providers(id),
    name             TEXT NOT NULL,
    postcode         TEXT,
    last_checked     TEXT,
    overall_rating   TEXT CHECK (overall_rating IN ('outstanding', 'good', 'requires-improvement', 'inadequate', 'not-rated')),
    rating_published TEXT
) STRICT;
CREATE INDEX cqc_locations_provider ON cqc_locations(provider_id);
ALTER TABLE providers ADD COLUMN cqc_rating_date TEXT;

-- PIR reviews (SPEC §10): every booking is kept (a re-booking adds a row with the same uid and
-- a higher sequence, so calendar clients update the same event); the review's outcome closes it.
CREATE TABLE pir_bookings (
    id            INTEGER PRIMARY KEY,
    referral_id   INTEGER NOT NULL REFERENCES referrals(id),
    uid           TEXT NOT NULL,
    sequence      INTEGER NOT NULL,
    booked_for    TEXT NOT NULL,
    worker        TEXT NOT NULL,
    worker_email  TEXT,
    location      TEXT NOT NULL CHECK (location IN ('home', 'phone', 'other')),
    forced_reason TEXT,
    booked_at     TEXT NOT NULL,
    booked_by     TEXT NOT NULL,
    UNIQUE (referral_id, sequence)
) STRICT;
CREATE TABLE pir_reviews (
    referral_id   INTEGER PRIMARY KEY REFERENCES referrals(id),
    reviewed      TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('continue', 'change', 'end')),
    paperwork     TEXT,
    ais_due       TEXT NOT NULL,
    ais_updated   TEXT,
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL
) STRICT;

-- Flexible domiciliary care episodes (seed 004): a provider flexes an active package up to 24
-- hours a day for at most 7 days; the episode is ended with its outcome.
CREATE TABLE flex_episodes (
    id              INTEGER PRIMARY KEY,
    referral_id     INTEGER NOT NULL REFERENCES referrals(id),
    provider_id     INTEGER NOT NULL REFERENCES providers(id),
    from_at         TEXT NOT NULL,
    minutes_per_day INTEGER NOT NULL CHECK (minutes_per_day > 0 AND minutes_per_day <= 1440),
    reason          TEXT NOT NULL,
    raised_by       TEXT CHECK (raised_by IN ('gp', 'district-nurse', 'care-worker', 'provider', 'other')),
    authorised_by   TEXT,
    ended_at        TEXT,
    outcome         TEXT CHECK (outcome IN ('admission-avoided', 'hospital-admission', 'care-home', 'package-changed', 'back-to-usual', 'other')),
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL
) STRICT;
CREATE INDEX flex_episodes_referral ON flex_episodes(referral_id);

-- Rates (seed 002): a rate is never overwritten; a new one starts on a date. Hourly for the day
-- types, per night for nights; county-wide when cluster_id is NULL. Uplifts by rurality are in
-- hundredths of a percent (1000 = 10%).
CREATE TABLE rates (
    id          INTEGER PRIMARY KEY,
    rate_type   TEXT NOT NULL CHECK (rate_type IN ('standard', 'complex', 'high-complex-pbs', 'sleep-night', 'wake-night')),
    cluster_id  INTEGER REFERENCES clusters(id),
    pence       INTEGER NOT NULL CHECK (pence > 0),
    from_date   TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
) STRICT;
CREATE TABLE rurality_uplifts (
    id            INTEGER PRIMARY KEY,
    cluster_id    INTEGER NOT NULL REFERENCES clusters(id),
    rurality      TEXT NOT NULL,
    basis_points  INTEGER NOT NULL CHECK (basis_points >= 0 AND basis_points <= 10000),
    from_date     TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    recorded_by   TEXT NOT NULL
) STRICT;

-- Reports read a period's offers and capacity by date.
CREATE INDEX offers_offered_at ON offers(offered_at);
CREATE INDEX capacity_recorded_at ON capacity(recorded_at);
