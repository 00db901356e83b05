"""Pure rules of pledges: periods, a measure's and a pledge's status, intervention timelines, the
system figure's arithmetic, a pledges document's checks and the table a download writes."""
