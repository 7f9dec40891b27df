-- Donations (SPEC §9): money (in fen) or goods, for a community; pledged, then received. Goods
-- received become stock receipts of the supplies module (source donation, ref donation:<id>),
-- whose move ids are kept in donation_goods. area_path copies the community's path for scope
-- filters; the area move hook rewrites it.
CREATE TABLE donations (
	id BIGINT PRIMARY KEY,
	kind TEXT NOT NULL,		-- money | goods
	donor_name TEXT NOT NULL,
	anonymous BIGINT NOT NULL,
	donor_phone TEXT,
	area_id BIGINT NOT NULL,
	area_path TEXT NOT NULL,
	amount_fen BIGINT NOT NULL DEFAULT 0,
	status TEXT NOT NULL,		-- pledged | received
	use_note TEXT,
	pledged_at BIGINT NOT NULL,
	received_at BIGINT,
	place_id BIGINT,		-- goods: the stock place they were received into
	created_by BIGINT NOT NULL,
	version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX donations_area ON donations (area_path, id);

CREATE TABLE donation_goods (
	donation_id BIGINT NOT NULL REFERENCES donations (id) ON DELETE CASCADE,
	line BIGINT NOT NULL,
	item_id BIGINT NOT NULL,
	name TEXT,			-- what the donor called it, for the public summary
	qty DOUBLE PRECISION NOT NULL,
	move_id BIGINT,			-- the stock receipt, once received
	PRIMARY KEY (donation_id, line)
);
