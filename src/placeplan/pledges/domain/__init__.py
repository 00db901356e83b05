"""Pure rules of pledges: a measure's and a pledge's status, intervention timelines, the system
figure's arithmetic, a pledges document's checks and the table a download writes. The periods
figures are for are parsed by `placeplan.core.periods.parse_span`."""
