-- Scenario: analyst versions from the yearly snapshots (loaded out of order) and the change file
-- fixtures/data/analysts.csv:
--  * 156-5710: Team4 -> Team1 (analysts_2013) -> Team4 + skill G (analysts_2014) -> Team2 from
--    2014-09-01 (change file); name Upd60 on every version (type 1);
--  * 42-1594: Team3 -> Team2 (2011) -> skills F,D,J (2012); the change file only renames him;
--  * 178-4260: a change row dated 2010-06-01 inserts Team9 between the 2010 and 2011 snapshots;
--  * cases point at the version valid when assigned, else when created.
WITH expected (aid, analyst_name, team, skills, valid_from, valid_to) AS (
  VALUES ('156-5710', 'Upd60', 'Team4', 'E,F,J,I', '1900-01-01'::timestamp, '2013-01-01'::timestamp),
         ('156-5710', 'Upd60', 'Team1', 'E,F,J,I', '2013-01-01', '2014-01-01'),
         ('156-5710', 'Upd60', 'Team4', 'E,F,J,I,G', '2014-01-01', '2014-09-01'),
         ('156-5710', 'Upd60', 'Team2', 'E,F,J,I,G', '2014-09-01', '9999-12-31'),
         ('42-1594', 'Upd99', 'Team3', 'F,D', '1900-01-01', '2011-01-01'),
         ('42-1594', 'Upd99', 'Team2', 'F,D', '2011-01-01', '2012-01-01'),
         ('42-1594', 'Upd99', 'Team2', 'F,D,J', '2012-01-01', '9999-12-31'),
         ('178-4260', 'Upd11', 'Team1', 'E,F,C', '1900-01-01', '2010-06-01'),
         ('178-4260', 'Upd11', 'Team9', 'E,F,C', '2010-06-01', '2011-01-01'),
         ('178-4260', 'Upd11', 'Team4', 'E,F,C', '2011-01-01', '9999-12-31'),
         ('NEW-1', 'Person New', 'Team3', 'A', '1900-01-01', '9999-12-31')
),
actual AS (
  SELECT aid, analyst_name, team, skills, valid_from, valid_to
    FROM dim_analyst WHERE aid IN ('156-5710', '42-1594', '178-4260', 'NEW-1')
),
expected_cases (cid, team, valid_from) AS (
  VALUES ('17-3794_2014', 'Team4', '2014-01-01'::timestamp),
         ('21-352_2014', 'Team2', '2014-09-01'),
         ('60-7178_2014', 'Team2', '2014-09-01'),
         ('79-8774_2014', 'Team2', '2014-09-01'),
         ('2-2003_2014', 'Team4', '2014-01-01'),
         ('18-6232_2012', 'Team4', '1900-01-01')
)
(SELECT 'dim_analyst' AS problem, x.aid || ' ' || x.team || ' ' || x.valid_from AS detail
   FROM (SELECT * FROM expected EXCEPT SELECT * FROM actual
         UNION ALL
         SELECT * FROM actual EXCEPT SELECT * FROM expected) x)
UNION ALL
SELECT 'fact_case analyst version', e.cid
  FROM expected_cases e
 WHERE NOT EXISTS (SELECT 1 FROM fact_case f JOIN dim_analyst a ON a.analyst_key = f.analyst_key
                    WHERE f.cid = e.cid AND a.team = e.team AND a.valid_from = e.valid_from);
