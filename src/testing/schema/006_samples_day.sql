-- The daily report counts a day's samples and the tubes resulted in it (tubes.h
-- fk_tubes_day_figures): a range on the time, then the area's subtree among those rows.
CREATE INDEX samples_scanned ON samples (scanned_at);
CREATE INDEX tubes_resulted ON tubes (resulted_at);
