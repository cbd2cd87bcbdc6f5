-- hcp schema, migration 1. Every table is STRICT; nothing is ever deleted; every change is
-- also an event in the append-only `events` table. Instants are UTC RFC 3339 text
-- ('2026-11-23T09:15:00Z'), dates are 'YYYY-MM-DD', money is integer pence.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Bank holidays: 'shipped' rows come from the binary; 'gov.uk' rows from `hcp calendar update`
-- and replace the shipped ones for the divisions they cover.
CREATE TABLE bank_holidays (
    date   TEXT PRIMARY KEY,
    title  TEXT NOT NULL,
    source TEXT NOT NULL
) STRICT;

CREATE TABLE areas (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    region TEXT NOT NULL CHECK (region IN ('east', 'west'))
) STRICT;

CREATE TABLE districts (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    area_id INTEGER NOT NULL REFERENCES areas(id)
) STRICT;

CREATE TABLE msoas (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    district_code TEXT NOT NULL REFERENCES districts(code),
    ruc_code      TEXT NOT NULL,
    ruc_name      TEXT NOT NULL,
    hcl_name      TEXT NOT NULL
) STRICT;

CREATE TABLE postcodes (
    postcode  TEXT PRIMARY KEY,
    msoa_code TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE clusters (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
    area_id INTEGER NOT NULL REFERENCES areas(id)
) STRICT;

CREATE TABLE cluster_msoas (
    msoa_code  TEXT PRIMARY KEY REFERENCES msoas(code),
    cluster_id INTEGER NOT NULL REFERENCES clusters(id)
) STRICT;
CREATE INDEX cluster_msoas_cluster ON cluster_msoas(cluster_id);

CREATE TABLE providers (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    type            TEXT NOT NULL CHECK (type IN ('contracted', 'non-contracted')),
    cqc_rating      TEXT CHECK (cqc_rating IN ('outstanding', 'good', 'requires-improvement', 'inadequate', 'not-rated')),
    exceptions_list INTEGER NOT NULL DEFAULT 0,
    email           TEXT,
    senior_email    TEXT,
    sanctioned      INTEGER NOT NULL DEFAULT 0,
    sanction_note   TEXT,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'exited')),
    created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE provider_areas (
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    area_id     INTEGER NOT NULL REFERENCES areas(id),
    PRIMARY KEY (provider_id, area_id)
) STRICT, WITHOUT ROWID;

-- Ranked clustered providers of a cluster (Appendix 4), and other contracted providers' order in an area.
CREATE TABLE cluster_providers (
    cluster_id  INTEGER NOT NULL REFERENCES clusters(id),
    rank        INTEGER NOT NULL,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    PRIMARY KEY (cluster_id, provider_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE area_providers (
    area_id     INTEGER NOT NULL REFERENCES areas(id),
    rank        INTEGER NOT NULL,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    PRIMARY KEY (area_id, provider_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE referrals (
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
    funding                 TEXT,
    team                    TEXT NOT NULL CHECK (team IN ('act', 'stp', 'keah')),
    referrer                TEXT NOT NULL,
    referrer_email          TEXT,
    received_at             TEXT NOT NULL,
    start_date              TEXT NOT NULL,
    calls_per_day           INTEGER NOT NULL,
    minutes_per_call        INTEGER NOT NULL,
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
    docs                    TEXT NOT NULL DEFAULT '',
    authorised_weekly_pence INTEGER,
    estimated_weekly_pence  INTEGER,
    notes                   TEXT,
    state                   TEXT NOT NULL,
    missing                 TEXT NOT NULL DEFAULT '',
    list_date               TEXT,
    parent_id               INTEGER REFERENCES referrals(id),
    handback                INTEGER NOT NULL DEFAULT 0,
    minor_change            INTEGER NOT NULL DEFAULT 0,
    provider_id             INTEGER REFERENCES providers(id),
    placement_type          TEXT,
    accepted_at             TEXT,
    confirmed_at            TEXT,
    confirmed_start         TEXT,
    provider_ref            TEXT,
    call_times              TEXT,
    indi_completed_at       TEXT,
    sdo_due                 TEXT,
    sdo_sent_at             TEXT,
    fa_due                  TEXT,
    fa_done_at              TEXT,
    cancel_reason           TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
) STRICT;
CREATE INDEX referrals_state ON referrals(state);
CREATE INDEX referrals_client ON referrals(client_id, received_at);
CREATE INDEX referrals_cluster ON referrals(cluster_id);

CREATE TABLE offers (
    id              INTEGER PRIMARY KEY,
    referral_id     INTEGER NOT NULL REFERENCES referrals(id),
    provider_id     INTEGER NOT NULL REFERENCES providers(id),
    tier            TEXT NOT NULL CHECK (tier IN ('clustered', 'other_contracted', 'non_contracted')),
    placement_type  TEXT NOT NULL,
    offered_at      TEXT NOT NULL,
    deadline        TEXT NOT NULL,
    response        TEXT CHECK (response IN ('accept', 'tentative', 'decline', 'considering', 'partial', 'lapsed')),
    responded_at    TEXT,
    reason          TEXT,
    reason_text     TEXT,
    until           TEXT,
    future_start    TEXT,
    calls           INTEGER,
    override_reason TEXT,
    offered_by      TEXT NOT NULL
) STRICT;
CREATE INDEX offers_referral ON offers(referral_id, offered_at);
CREATE INDEX offers_provider ON offers(provider_id, offered_at);

CREATE TABLE escalations (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER REFERENCES referrals(id),
    area_id     INTEGER REFERENCES areas(id),
    provider_id INTEGER REFERENCES providers(id),
    rule        TEXT NOT NULL,
    to_whom     TEXT NOT NULL,
    trigger_key TEXT NOT NULL,
    note        TEXT,
    raised_at   TEXT NOT NULL,
    raised_by   TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    decision    TEXT,
    decision_note TEXT
) STRICT;
-- The same rule for the same referral (or area) and the same trigger is one escalation.
CREATE UNIQUE INDEX escalations_once ON escalations(rule, IFNULL(referral_id, 0), IFNULL(area_id, 0), trigger_key);
CREATE INDEX escalations_referral ON escalations(referral_id);

CREATE TABLE capacity (
    id          INTEGER PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id),
    msoa_code   TEXT REFERENCES msoas(code),
    cluster_id  INTEGER REFERENCES clusters(id),
    weekly_minutes INTEGER NOT NULL,
    from_date   TEXT NOT NULL,
    note        TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK (msoa_code IS NOT NULL OR cluster_id IS NOT NULL)
) STRICT;

-- A bulk import records one event for all the referrals it created (ids first_id..last_id, all
-- created in that one transaction); `hcp history` shows it for each of them.
CREATE TABLE import_batches (
    event_id INTEGER PRIMARY KEY,
    first_id INTEGER NOT NULL,
    last_id  INTEGER NOT NULL
) STRICT;

-- The audit log: who, when, what, before/after. Append-only: the triggers refuse changes.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    user        TEXT NOT NULL,
    event       TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER,
    referral_id INTEGER,
    details     TEXT NOT NULL DEFAULT '{}',
    before      TEXT,
    after       TEXT
) STRICT;
CREATE INDEX events_referral ON events(referral_id, id);
CREATE INDEX events_at ON events(at);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
