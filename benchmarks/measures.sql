-- Every figure of the earlyhelp catalogue for the periods in `periods`, in plain SQL (DuckDB).
--
-- Written from the measure definitions (`earlyhelp measures show <id>`, the profile
-- derby-2014-15), not from earlyhelp's code. The loader (`_sql_duckdb.py`) has already
-- made one table per CSV file and the table `periods` (period, first_day, last_day,
-- year, year_label, is_quarter): the four quarters and the whole of each financial year.
--
-- Conventions, from the definitions:
--   * stock: open at the end of the period's last day: started on or before it and not
--     ended on or before it (a case closed on the last day is not open);
--   * flow: dated within the period, both ends inclusive;
--   * a record is counted for its team, the team's locality (or, with no team, the
--     record's own locality) and the city; a ratio's numerator and denominator are
--     summed separately up the hierarchy (team -> locality -> city);
--   * every unit of every level a measure is recorded at has a total for every period in
--     force (zero if nothing counted); breakdown rows only where something is counted.
--
-- The result is the table `figures`:
--   measure_id, period, level, unit_id, breakdown, numerator, denominator.

-- ------------------------------------------------------------------ the catalogue's shape

-- lowest: the lowest level a measure is recorded at; from_year: the first financial year
-- it is in force in (team_around_family_involvements is in force from 2015-16 only, so
-- it has no figures for 2013-14 and 2014-15 and is not listed).
CREATE OR REPLACE TEMP TABLE catalogue AS
SELECT * FROM (VALUES
    ('new_referrals',                        'count', 'team',     2013),
    ('open_cases',                           'count', 'team',     2013),
    ('ehas_completed',                       'count', 'team',     2013),
    ('assessment_in_place_rate',             'ratio', 'team',     2013),
    ('rereferrals',                          'count', 'team',     2013),
    ('rereferral_rate',                      'ratio', 'team',     2013),
    ('cases_closed',                         'count', 'team',     2013),
    ('onward_referrals',                     'count', 'team',     2013),
    ('early_help_level_2_cases',             'count', 'team',     2013),
    ('escalations',                          'count', 'team',     2013),
    ('escalation_rate',                      'ratio', 'team',     2013),
    ('cp_starts_with_prior_early_help_rate', 'ratio', 'locality', 2013),
    ('care_starts_with_prior_early_help_rate','ratio', 'locality', 2013),
    ('spider_graphs_completed',              'count', 'team',     2013),
    ('spider_improving_rate',                'ratio', 'team',     2013),
    ('surveys_received',                     'count', 'team',     2013),
    ('survey_respected_rate',                'ratio', 'team',     2013),
    ('survey_listened_to_rate',              'ratio', 'team',     2013),
    ('survey_helped_rate',                   'ratio', 'team',     2013),
    ('cin_cases',                            'count', 'locality', 2013),
    ('cin_rate',                             'ratio', 'locality', 2013),
    ('cp_plans',                             'count', 'locality', 2013),
    ('cp_rate',                              'ratio', 'locality', 2013),
    ('children_in_care',                     'count', 'locality', 2013),
    ('cic_rate',                             'ratio', 'locality', 2013),
    ('open_to_yos',                          'count', 'locality', 2013),
    ('audit_completion_rate',                'ratio', 'team',     2014),
    ('audit_good_or_better_rate',            'ratio', 'team',     2014),
    ('neet_rate',                            'ratio', 'city',     2013),
    ('not_known_rate',                       'ratio', 'city',     2013)
) AS t(measure_id, kind, lowest, from_year);

CREATE OR REPLACE TEMP TABLE units AS
SELECT 'team' AS level, 1 AS depth, team_id AS unit_id FROM teams
UNION
SELECT 'locality', 2, locality_id FROM teams
UNION
SELECT 'city', 3, 'city';

-- ------------------------------------------------------------------ shared placements

-- Cases with the locality they count for: their team's, else their own.
CREATE OR REPLACE TEMP TABLE case_units AS
SELECT c.episode_id, c.person_id, c.referral_id, c.team_id,
       coalesce(t.locality_id, c.locality_id) AS locality_id,
       c.opened, c.closed, c.closure_reason, c.level_of_need
FROM cases AS c
LEFT JOIN teams AS t USING (team_id);

-- Each case open at the end of each period.
CREATE OR REPLACE TEMP TABLE open_cases AS
SELECT p.period, p.last_day, p.is_quarter, p.year_label, c.*
FROM case_units AS c
JOIN periods AS p
  ON c.opened <= p.last_day AND (c.closed IS NULL OR c.closed > p.last_day);

-- Referrals dated in a period, with their team's locality.
CREATE OR REPLACE TEMP TABLE referrals_in AS
SELECT p.period, r.referral_id, r.person_id, r.referral_date, r.route, r.team_id,
       t.locality_id
FROM referrals AS r
LEFT JOIN teams AS t USING (team_id)
JOIN periods AS p ON r.referral_date BETWEEN p.first_day AND p.last_day;

-- Re-referral (derby-2014-15, rule RR-3M): a referral dated after the closure of a case
-- of the same child and no more than 3 calendar months after it (the day 3 months on is
-- clamped at month end, and included; the closure day itself is not), the case the
-- referral opened excepted.
CREATE OR REPLACE TEMP TABLE rereferred AS
SELECT DISTINCT r.referral_id
FROM referrals_in AS r
JOIN cases AS c
  ON c.person_id = r.person_id
 AND r.referral_date > c.closed
 AND r.referral_date <= c.closed + INTERVAL 3 MONTH
 AND c.referral_id IS DISTINCT FROM r.referral_id;

-- Each case closed in a period; a step-up (rule ESC-1) is closed with the reason
-- escalated_to_social_care.
CREATE OR REPLACE TEMP TABLE closed_cases AS
SELECT p.period, c.*, coalesce(c.closure_reason = 'escalated_to_social_care', false) AS step_up
FROM case_units AS c
JOIN periods AS p ON c.closed BETWEEN p.first_day AND p.last_day;

-- The date of each case's first completed Early Help Assessment.
CREATE OR REPLACE TEMP TABLE first_assessment AS
SELECT episode_id, min(completed) AS first_completed
FROM assessments
WHERE episode_id IS NOT NULL AND completed IS NOT NULL
GROUP BY episode_id;

-- Spider graphs (rule SG-TOTAL): a graph is completed on its first end reading; its
-- direction compares the start reading with the latest reading (an end reading beats
-- a review on the same day), scale by scale, each change oriented so better is
-- positive; it improves when the changes add up to more than zero.
CREATE OR REPLACE TEMP TABLE graphs_ended AS
SELECT graph_id, min(reading_date) AS completed, min(episode_id) AS episode_id
FROM spider_readings
WHERE stage = 'end'
  AND graph_id IN (SELECT graph_id FROM spider_readings WHERE stage = 'start')
GROUP BY graph_id
HAVING bool_or(reading_date BETWEEN (SELECT min(first_day) FROM periods)
                                AND (SELECT max(last_day) FROM periods));

CREATE OR REPLACE TEMP TABLE graph_latest AS
SELECT graph_id, scale, score
FROM spider_readings
WHERE stage <> 'start' AND graph_id IN (SELECT graph_id FROM graphs_ended)
QUALIFY rank() OVER (PARTITION BY graph_id
                     ORDER BY reading_date DESC, stage = 'end' DESC) = 1;

CREATE OR REPLACE TEMP TABLE graph_direction AS
SELECT s.graph_id,
       sum(CASE WHEN k.higher_is_better THEN l.score - s.score ELSE s.score - l.score END)
           AS total_change
FROM spider_readings AS s
JOIN graph_latest AS l USING (graph_id, scale)
JOIN spider_scales AS k USING (scale)
WHERE s.stage = 'start'
GROUP BY s.graph_id;

-- Case file audit scales: the "good" grade and whether a higher grade is better.
CREATE OR REPLACE TEMP TABLE audit_scales AS
SELECT * FROM (VALUES ('derby-0-4', 3, true), ('ofsted-1-4', 2, false))
    AS t(scale, good, higher_is_better);

CREATE OR REPLACE TEMP TABLE audit_units AS
SELECT a.*, c.team_id, c.locality_id
FROM audits AS a
LEFT JOIN case_units AS c USING (episode_id);

-- Statutory services: each child once per period, in the locality of the latest
-- episode open at the period's end (the definition names no tie-break for two episodes
-- started the same day; here the larger episode id).
CREATE OR REPLACE TEMP TABLE statutory_open AS
WITH episodes AS (
    SELECT kind, episode_id, person_id, started, ended, locality_id
    FROM social_care_episodes
    UNION ALL
    SELECT 'yos', episode_id, person_id, started, ended, locality_id
    FROM yos_episodes
)
SELECT p.period, e.kind, e.person_id,
       arg_max(e.locality_id, row(e.started, e.episode_id)) AS locality_id
FROM episodes AS e
JOIN periods AS p
  ON e.started <= p.last_day AND (e.ended IS NULL OR e.ended > p.last_day)
GROUP BY p.period, e.kind, e.person_id;

-- Children in each locality, for the calendar year the financial year starts in. The
-- population table may also have a row for the whole city, which is not a locality: it
-- counts (for the city only) in a year with no locality rows, never beside them.
CREATE OR REPLACE TEMP TABLE child_population AS
WITH local_years AS (
    SELECT DISTINCT year FROM population WHERE area_id IN (SELECT locality_id FROM teams)
)
SELECT p.period,
       CASE WHEN pop.area_id IN (SELECT locality_id FROM teams) THEN pop.area_id END
           AS locality_id,
       pop.children
FROM population AS pop
JOIN periods AS p ON p.year = pop.year
WHERE pop.area_id IN (SELECT locality_id FROM teams)
   OR pop.year NOT IN (SELECT year FROM local_years);

-- Plans and care started in a period, and whether early help came before (rule PEH-24M:
-- a case of the child open on some day from 24 calendar months before the start to the
-- day before it).
CREATE OR REPLACE TEMP TABLE statutory_starts AS
SELECT p.period, e.kind, e.episode_id, e.locality_id,
       EXISTS (
           SELECT 1 FROM cases AS c
           WHERE c.person_id = e.person_id
             AND c.opened <= e.started - INTERVAL 1 DAY
             AND (c.closed IS NULL OR c.closed >= e.started - INTERVAL 24 MONTH)
       ) AS after_early_help
FROM social_care_episodes AS e
JOIN periods AS p ON e.started BETWEEN p.first_day AND p.last_day
WHERE e.kind IN ('cp', 'cic');

-- NEET (cohort definition NEET-16-18-NDJ, in force for academic years 2011-12 to
-- 2015-16): records for November, December and January of young people of academic
-- age 16 to 18 (age on the 31 August before the academic year); each record's NCCIS
-- activity code is classed by the code list version in force on its month
-- (`nccis_codes`, read from the shipped list: category 'neet' is NEET, 'not_known' not
-- known); NEET % is of those whose activity is known, not known % of the whole cohort.
CREATE OR REPLACE TEMP TABLE neet_cohort AS
WITH aged AS (
    SELECT person_id, record_month, activity_code,
           year(record_month) - CASE WHEN month(record_month) < 9 THEN 1 ELSE 0 END
               AS academic_year,
           date_of_birth
    FROM neet
)
SELECT DISTINCT p.period, a.person_id, a.record_month,
       c.category = 'neet' AS is_neet,
       c.category = 'not_known' AS not_known
FROM aged AS a
JOIN periods AS p ON a.record_month BETWEEN p.first_day AND p.last_day
JOIN nccis_codes AS c
  ON c.code = trim(a.activity_code)
 AND a.record_month >= c.effective_from
 AND (c.effective_to IS NULL OR a.record_month <= c.effective_to)
WHERE month(a.record_month) IN (11, 12, 1)
  AND a.academic_year BETWEEN 2011 AND 2015
  AND a.academic_year - year(a.date_of_birth)
      - CASE WHEN month(a.date_of_birth) >= 9 THEN 1 ELSE 0 END BETWEEN 16 AND 18;

-- ------------------------------------------------------------------ members
-- One row per counted record and period: its team and locality, breakdown, and what it
-- adds to the numerator (n) and the denominator (d). A view: it is only ever summed.

CREATE OR REPLACE TEMP VIEW members AS
SELECT 'new_referrals' AS measure_id, period, team_id, locality_id, route AS breakdown,
       1 AS n, 0 AS d
FROM referrals_in
UNION ALL
SELECT 'rereferrals', period, team_id, locality_id, NULL, 1, 0
FROM referrals_in WHERE referral_id IN (SELECT referral_id FROM rereferred)
UNION ALL
-- re-referral rate: re-referrals of the cases worked with, the caseload at each quarter's
-- end (a year's caseload is the sum of its quarters')
SELECT 'rereferral_rate', period, team_id, locality_id, NULL, 1, 0
FROM referrals_in WHERE referral_id IN (SELECT referral_id FROM rereferred)
UNION ALL
SELECT 'rereferral_rate', unnest([period, year_label]), team_id, locality_id, NULL, 0, 1
FROM open_cases
WHERE is_quarter
UNION ALL
SELECT 'open_cases', period, team_id, locality_id, NULL, 1, 0 FROM open_cases
UNION ALL
SELECT 'early_help_level_2_cases', period, team_id, locality_id, NULL, 1, 0
FROM open_cases WHERE level_of_need = 2
UNION ALL
SELECT 'assessment_in_place_rate', period, o.team_id, o.locality_id, NULL,
       coalesce(f.first_completed <= o.last_day, false)::INT, 1
FROM open_cases AS o LEFT JOIN first_assessment AS f USING (episode_id)
UNION ALL
SELECT 'cases_closed', period, team_id, locality_id, closure_reason, 1, 0 FROM closed_cases
UNION ALL
SELECT 'escalations', period, team_id, locality_id, NULL, 1, 0
FROM closed_cases WHERE step_up
UNION ALL
SELECT 'escalation_rate', period, team_id, locality_id, NULL, step_up::INT, 1
FROM closed_cases
UNION ALL
SELECT 'ehas_completed', p.period, c.team_id, c.locality_id, NULL, 1, 0
FROM assessments AS a
LEFT JOIN case_units AS c USING (episode_id)
JOIN periods AS p ON a.completed BETWEEN p.first_day AND p.last_day
UNION ALL
SELECT 'onward_referrals', p.period, c.team_id, c.locality_id, NULL, 1, 0
FROM onward_referrals AS o
LEFT JOIN case_units AS c USING (episode_id)
JOIN periods AS p ON o.referral_date BETWEEN p.first_day AND p.last_day
UNION ALL
SELECT 'spider_graphs_completed', p.period, c.team_id, c.locality_id, NULL, 1, 0
FROM graphs_ended AS g
LEFT JOIN case_units AS c USING (episode_id)
JOIN periods AS p ON g.completed BETWEEN p.first_day AND p.last_day
UNION ALL
SELECT 'spider_improving_rate', p.period, c.team_id, c.locality_id, NULL,
       (d.total_change > 0)::INT, 1
FROM graphs_ended AS g
JOIN graph_direction AS d USING (graph_id)
LEFT JOIN case_units AS c USING (episode_id)
JOIN periods AS p ON g.completed BETWEEN p.first_day AND p.last_day
UNION ALL
-- surveys (rule HWIFY-ALL-FORMS): by the team on the form; a percentage of every form
-- received, answered or not
SELECT unnest(['surveys_received', 'survey_respected_rate', 'survey_listened_to_rate',
               'survey_helped_rate']),
       p.period, s.team_id, t.locality_id, NULL,
       unnest([1, coalesce(s.respected = 'yes', false)::INT,
               coalesce(s.listened_to = 'yes', false)::INT,
               coalesce(s.helped = 'yes', false)::INT]),
       unnest([0, 1, 1, 1])
FROM surveys AS s
LEFT JOIN teams AS t USING (team_id)
JOIN periods AS p ON s.received BETWEEN p.first_day AND p.last_day
UNION ALL
SELECT CASE kind WHEN 'cin' THEN 'cin_cases' WHEN 'cp' THEN 'cp_plans'
                 WHEN 'cic' THEN 'children_in_care' ELSE 'open_to_yos' END,
       period, NULL, locality_id, NULL, 1, 0
FROM statutory_open
UNION ALL
-- rates per 10,000 children: the numerator here, the population below
SELECT kind || '_rate', period, NULL, locality_id, NULL, 1, 0
FROM statutory_open WHERE kind <> 'yos'
UNION ALL
SELECT unnest(['cin_rate', 'cp_rate', 'cic_rate']), period, NULL, locality_id, NULL,
       0, children
FROM child_population
UNION ALL
SELECT CASE kind WHEN 'cp' THEN 'cp_starts_with_prior_early_help_rate'
                 ELSE 'care_starts_with_prior_early_help_rate' END,
       period, NULL, locality_id, NULL, after_early_help::INT, 1
FROM statutory_starts
UNION ALL
-- case file audits: completion of those scheduled in the period; grades of those
-- completed in the period, good or better on the audit's own scale, by measure graded
SELECT 'audit_completion_rate', p.period, a.team_id, a.locality_id, NULL,
       (a.completed IS NOT NULL)::INT, 1
FROM audit_units AS a
JOIN periods AS p ON a.scheduled BETWEEN p.first_day AND p.last_day
UNION ALL
SELECT 'audit_good_or_better_rate', p.period, a.team_id, a.locality_id, g.measure,
       (CASE WHEN k.higher_is_better THEN g.grade >= k.good ELSE g.grade <= k.good END)::INT,
       1
FROM audit_grades AS g
JOIN audit_units AS a USING (audit_id)
JOIN audit_scales AS k USING (scale)
JOIN periods AS p ON a.completed BETWEEN p.first_day AND p.last_day
WHERE g.grade IS NOT NULL
UNION ALL
SELECT 'neet_rate', period, NULL, NULL, NULL, is_neet::INT, (NOT not_known)::INT
FROM neet_cohort
UNION ALL
SELECT 'not_known_rate', period, NULL, NULL, NULL, not_known::INT, 1
FROM neet_cohort;

-- ------------------------------------------------------------------ figures

-- Summed per team (and locality, for records with no team) first, then up the levels.
CREATE OR REPLACE TEMP TABLE counted AS
SELECT measure_id, period, team_id, locality_id, breakdown,
       sum(n) AS n, sum(d) AS d
FROM members
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE summed AS
SELECT measure_id, period,
       CASE WHEN grouping(team_id) = 0 THEN 'team'
            WHEN grouping(locality_id) = 0 THEN 'locality'
            ELSE 'city' END AS level,
       CASE WHEN grouping(team_id) = 0 THEN team_id
            WHEN grouping(locality_id) = 0 THEN locality_id
            ELSE 'city' END AS unit_id,
       breakdown,
       grouping(breakdown) = 1 AS is_total,
       sum(n) AS numerator,
       sum(d) AS denominator
FROM counted
GROUP BY GROUPING SETS (
    (measure_id, period, team_id),
    (measure_id, period, locality_id),
    (measure_id, period),
    (measure_id, period, team_id, breakdown),
    (measure_id, period, locality_id, breakdown),
    (measure_id, period, breakdown)
);

CREATE OR REPLACE TEMP TABLE figures AS
WITH grid AS (
    SELECT m.measure_id, m.kind, p.period, u.level, u.unit_id
    FROM catalogue AS m
    JOIN periods AS p ON p.year >= m.from_year
    JOIN units AS u ON u.depth >= CASE m.lowest WHEN 'team' THEN 1
                                                WHEN 'locality' THEN 2 ELSE 3 END
)
SELECT g.measure_id, g.period, g.level, g.unit_id, NULL::VARCHAR AS breakdown,
       coalesce(s.numerator, 0)::BIGINT AS numerator,
       CASE WHEN g.kind = 'ratio' THEN coalesce(s.denominator, 0) END::BIGINT
           AS denominator
FROM grid AS g
LEFT JOIN summed AS s
  ON s.is_total AND (s.measure_id, s.period, s.level, s.unit_id)
                  = (g.measure_id, g.period, g.level, g.unit_id)
UNION ALL
SELECT g.measure_id, g.period, g.level, g.unit_id, s.breakdown,
       s.numerator::BIGINT,
       CASE WHEN g.kind = 'ratio' THEN s.denominator END::BIGINT
FROM grid AS g
JOIN summed AS s
  ON NOT s.is_total AND s.breakdown IS NOT NULL
 AND (s.measure_id, s.period, s.level, s.unit_id)
   = (g.measure_id, g.period, g.level, g.unit_id);
