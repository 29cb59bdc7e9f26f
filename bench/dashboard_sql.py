"""The dashboard's aggregates written by hand in PostgreSQL's SQL, for bench/dashboard.py: the
same figures as zizhi/stats/figures.py (per community, over a period), so the ratio of the two
times is what the ORM and the Python around it cost.

Parameters: %(ids)s the community ids (an array), %(start)s/%(end)s the period's aware bounds
[start, end), %(day0)s/%(day1)s its first and last days, %(bands)s the birth dates that start
each age band (youngest first), %(m0)s and %(m0d)s the start of the trend's first month
(aware bound and date).
"""

STOCKS = """
SELECT c.id,
  (SELECT count(*) FROM registry_resident r WHERE r.community_id = c.id AND r.created_at < %(end)s),
  (SELECT count(*) FROM registry_household h WHERE h.community_id = c.id),
  (SELECT count(*) FROM associations_association a WHERE a.community_id = c.id AND a.active),
  (SELECT count(*) FROM associations_associationmember m
     JOIN associations_association a ON a.id = m.association_id
    WHERE a.community_id = c.id AND m.joined_on <= %(day1)s
      AND (m.left_on IS NULL OR m.left_on > %(day1)s)),
  (SELECT count(*) FROM associations_volunteer v WHERE v.community_id = c.id
      AND v.status = 'active' AND v.registered_at < %(end)s),
  (SELECT count(*) FROM moralbank_account a WHERE a.community_id = c.id
      AND a.kind = 'personal' AND a.created_at < %(end)s),
  (SELECT coalesce(sum(balance), 0) FROM moralbank_account a WHERE a.community_id = c.id
      AND a.kind = 'personal'),
  (SELECT count(*) FROM party_partymember p WHERE p.community_id = c.id),
  (SELECT count(*) FROM party_reportin p WHERE p.community_id = c.id
      AND p.reported_on <= %(day1)s),
  (SELECT coalesce(sum(p.area_m2), 0) FROM greening_adoption a
     JOIN greening_plot p ON p.id = a.plot_id
    WHERE a.community_id = c.id AND a.status = 'active' AND a.starts_on <= %(day1)s)
FROM registry_community c WHERE c.id = ANY(%(ids)s)
"""

PARTICIPANTS = """
SELECT r.community_id, count(DISTINCT a.resident_id)
FROM associations_attendance a JOIN registry_resident r ON r.id = a.resident_id
WHERE r.community_id = ANY(%(ids)s) AND a.check_in_at >= %(start)s AND a.check_in_at < %(end)s
GROUP BY r.community_id
"""

SERVICE = """
SELECT s.community_id, sum(s.minutes),
       coalesce(sum(s.minutes) FILTER (WHERE p.id IS NOT NULL), 0)
FROM associations_servicerecord s LEFT JOIN party_partymember p ON p.resident_id = s.resident_id
WHERE s.community_id = ANY(%(ids)s) AND s.service_date BETWEEN %(day0)s AND %(day1)s
GROUP BY s.community_id
"""

CREDIT = """
SELECT a.community_id,
       coalesce(sum(p.minutes) FILTER (WHERE e.kind = 'service_credit'), 0),
       coalesce(-sum(p.minutes) FILTER (WHERE e.kind = 'redemption'), 0)
FROM moralbank_posting p
JOIN moralbank_account a ON a.id = p.account_id
JOIN moralbank_entry e ON e.id = p.entry_id
WHERE a.community_id = ANY(%(ids)s) AND a.kind = 'personal' AND e.status = 'posted'
  AND e.decided_at >= %(start)s AND e.decided_at < %(end)s
GROUP BY a.community_id
"""

MATTER_STAGES = """
SELECT community_id, state, count(*) FROM governance_matter
WHERE community_id = ANY(%(ids)s) AND registered_at >= %(start)s AND registered_at < %(end)s
GROUP BY community_id, state
"""

MATTERS_DECIDED = """
SELECT m.community_id, count(DISTINCT s.matter_id), avg(s.at - m.registered_at)
FROM governance_step s JOIN governance_matter m ON m.id = s.matter_id
WHERE m.community_id = ANY(%(ids)s) AND s.to_state IN ('resolved', 'not_passed', 'rejected')
  AND s.at >= %(start)s AND s.at < %(end)s
GROUP BY m.community_id
"""

SUGGESTIONS = """
SELECT community_id, count(*),
       count(*) FILTER (WHERE replied_at IS NOT NULL),
       count(*) FILTER (WHERE replied_at IS NOT NULL AND NOT late),
       count(*) FILTER (WHERE rating <> ''),
       count(*) FILTER (WHERE rating IN ('satisfied', 'basic'))
FROM proposals_suggestion
WHERE community_id = ANY(%(ids)s) AND created_at >= %(start)s AND created_at < %(end)s
GROUP BY community_id
"""

GREEN_MONEY = """
SELECT community_id, sum(amount_fen) FROM greening_donation
WHERE community_id = ANY(%(ids)s) AND given_on BETWEEN %(day0)s AND %(day1)s
GROUP BY community_id;
SELECT community_id, sum(amount_fen) FROM greening_funduse
WHERE community_id = ANY(%(ids)s) AND used_on BETWEEN %(day0)s AND %(day1)s
GROUP BY community_id
"""

MEDIATION = """
SELECT community_id, count(*), count(*) FILTER (WHERE outcome_on IS NOT NULL),
       count(*) FILTER (WHERE outcome_on IS NOT NULL AND referral_to = '')
FROM mediation_mediationcase
WHERE community_id = ANY(%(ids)s) AND registered_at >= %(start)s AND registered_at < %(end)s
GROUP BY community_id
"""

# the age band: how many band starts the birth date is not after (youngest band first)
_BAND = "(SELECT count(*) FROM unnest(%(bands)s::date[]) b WHERE r.birth_date <= b)"

DEPOSITOR_BANDS = f"""
SELECT a.community_id, {_BAND} AS band, count(*)
FROM moralbank_account a JOIN registry_resident r ON r.id = a.resident_id
WHERE a.community_id = ANY(%(ids)s) AND a.kind = 'personal' AND a.created_at < %(end)s
GROUP BY 1, 2
"""

PYRAMID = f"""
SELECT {_BAND} AS band, r.gender, count(*)
FROM associations_volunteer v JOIN registry_resident r ON r.id = v.resident_id
WHERE v.community_id = ANY(%(ids)s) AND v.status = 'active' AND v.registered_at < %(end)s
GROUP BY 1, 2
"""

TREND = """
SELECT date_trunc('month', a.check_in_at AT TIME ZONE 'Asia/Shanghai'), count(DISTINCT a.resident_id)
FROM associations_attendance a JOIN registry_resident r ON r.id = a.resident_id
WHERE r.community_id = ANY(%(ids)s) AND a.check_in_at >= %(m0)s AND a.check_in_at < %(end)s
GROUP BY 1;
SELECT date_trunc('month', service_date), sum(minutes) FROM associations_servicerecord
WHERE community_id = ANY(%(ids)s) AND service_date >= %(m0d)s AND service_date <= %(day1)s
GROUP BY 1;
SELECT date_trunc('month', e.decided_at AT TIME ZONE 'Asia/Shanghai'), sum(p.minutes)
FROM moralbank_posting p
JOIN moralbank_account a ON a.id = p.account_id
JOIN moralbank_entry e ON e.id = p.entry_id
WHERE a.community_id = ANY(%(ids)s) AND a.kind = 'personal' AND e.kind = 'service_credit'
  AND e.status = 'posted' AND e.decided_at >= %(m0)s AND e.decided_at < %(end)s
GROUP BY 1;
SELECT date_trunc('month', created_at AT TIME ZONE 'Asia/Shanghai'), count(*)
FROM proposals_suggestion
WHERE community_id = ANY(%(ids)s) AND created_at >= %(m0)s AND created_at < %(end)s
GROUP BY 1
"""

ALL = [
    STOCKS,
    PARTICIPANTS,
    SERVICE,
    CREDIT,
    MATTER_STAGES,
    MATTERS_DECIDED,
    SUGGESTIONS,
    GREEN_MONEY,
    MEDIATION,
    DEPOSITOR_BANDS,
    PYRAMID,
    TREND,
]


# The same figures as the app reads them: the summaries (zizhi/stats/summary_models.py) for
# the days through %(through)s and the people as at today, the rows for today, and the small
# tables as they are. The month bitmaps are OR-ed and counted in Python (bench/dashboard.py).
SUMMARY_PEOPLE = """
SELECT community_id, people FROM stats_summarystate WHERE community_id = ANY(%(ids)s)
"""

SUMMARY_DAYS = """
SELECT community_id, date_trunc('month', day), sum(service_minutes), sum(party_minutes),
       sum(credit_issued), sum(credit_redeemed)
FROM stats_daysummary
WHERE community_id = ANY(%(ids)s) AND day >= %(m0d)s AND day <= %(through)s
GROUP BY 1, 2
"""

SUMMARY_BITMAPS = """
SELECT community_id, month, base, bits FROM stats_monthparticipants
WHERE community_id = ANY(%(ids)s) AND month >= %(m0d)s
"""

TODAY = """
SELECT community_id, sum(minutes) FROM associations_servicerecord
WHERE community_id = ANY(%(ids)s) AND service_date > %(through)s AND service_date <= %(day1)s
GROUP BY 1;
SELECT a.community_id,
       coalesce(sum(p.minutes) FILTER (WHERE e.kind = 'service_credit'), 0),
       coalesce(-sum(p.minutes) FILTER (WHERE e.kind = 'redemption'), 0)
FROM moralbank_entry e
JOIN moralbank_posting p ON p.entry_id = e.id
JOIN moralbank_account a ON a.id = p.account_id
WHERE e.decided_at >= %(today)s AND e.status = 'posted' AND a.kind = 'personal'
  AND a.community_id = ANY(%(ids)s)
GROUP BY 1;
SELECT DISTINCT r.community_id, a.resident_id
FROM associations_attendance a JOIN registry_resident r ON r.id = a.resident_id
WHERE a.check_in_at >= %(today)s AND r.community_id = ANY(%(ids)s)
"""

SMALL_TABLES = [MATTER_STAGES, MATTERS_DECIDED, SUGGESTIONS, GREEN_MONEY, MEDIATION,
                TREND.split(";")[-1]]  # fmt: skip
FROM_SUMMARIES = [SUMMARY_PEOPLE, SUMMARY_DAYS, TODAY, *SMALL_TABLES]


def _split(blocks) -> list[str]:
    return [s.strip() for block in blocks for s in block.split(";") if s.strip()]


def statements() -> list[str]:
    """Every figure from the rows."""
    return _split(ALL)


def summary_statements() -> list[str]:
    """Every figure as the app reads it, but the bitmaps (SUMMARY_BITMAPS)."""
    return _split(FROM_SUMMARIES)
