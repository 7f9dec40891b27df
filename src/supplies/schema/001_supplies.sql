-- Stock (SPEC §9): the places that keep it, the items, and one ledger of moves. A balance is
-- the sum of its moves; stock_lots keeps the running sum per place, item and lot, written in
-- the move's own transaction, so a balance is read without summing the ledger. Quantities
-- are in the item's unit; a move's qty is signed (what it changed at its place).
CREATE TABLE stock_places (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	kind TEXT NOT NULL,		-- warehouse | site | checkpoint | facility
	ref_id BIGINT,			-- the site, checkpoint or facility kept at; NULL for a warehouse
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX stock_places_ref ON stock_places (kind, ref_id);
CREATE INDEX stock_places_path ON stock_places (area_path);

CREATE TABLE stock_items (
	id BIGINT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	unit TEXT NOT NULL,
	category TEXT NOT NULL,		-- ppe | test_kit | swab | tube | disinfectant | living_pack | other
	low_at DOUBLE PRECISION NOT NULL, -- at or below it a place's stock is low; 0: no threshold
	created_at BIGINT NOT NULL
);

CREATE TABLE stock_moves (
	id BIGINT PRIMARY KEY,
	kind TEXT NOT NULL,		-- receive | issue | transfer | adjust
	place_id BIGINT NOT NULL,
	item_id BIGINT NOT NULL,
	lot TEXT NOT NULL,		-- '' when none
	expiry TEXT,			-- "YYYY-MM-DD" or NULL
	qty DOUBLE PRECISION NOT NULL,	-- signed: + into the place, - out of it
	source TEXT,			-- receive: donation | purchase | transfer_in
	reason TEXT,			-- adjust: lost | damaged | expired | counted
	ref TEXT,			-- "donation:123", "tube:456", "move:789" (the other half of a transfer)
	peer_place_id BIGINT,		-- transfer: the other place
	note TEXT,
	area_path TEXT NOT NULL,	-- the place's
	by_user BIGINT NOT NULL,	-- 0: the system (a tube opened)
	at BIGINT NOT NULL
);
CREATE INDEX stock_moves_place ON stock_moves (place_id, item_id, at);
CREATE INDEX stock_moves_path ON stock_moves (area_path, id);

CREATE TABLE stock_lots (
	place_id BIGINT NOT NULL,
	item_id BIGINT NOT NULL,
	lot TEXT NOT NULL,
	expiry TEXT,
	qty DOUBLE PRECISION NOT NULL,
	area_path TEXT NOT NULL,
	PRIMARY KEY (place_id, item_id, lot)
);
CREATE INDEX stock_lots_path ON stock_lots (area_path);

-- What was issued per place, item and day (China Standard Time, as days since 1970-01-01),
-- summed from the issue moves in their own transactions: the last 7 days' use reads at most
-- 7 rows however long the ledger.
CREATE TABLE stock_use (
	place_id BIGINT NOT NULL,
	item_id BIGINT NOT NULL,
	day BIGINT NOT NULL,
	qty DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (place_id, item_id, day)
);
