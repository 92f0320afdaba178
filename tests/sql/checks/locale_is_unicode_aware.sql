-- Job title normalization needs Unicode-aware lower() and character classes in this database.
SELECT x.input, dw_normalize_title(x.input) AS got, x.expected
  FROM (VALUES ('AUTÓNOMO', 'autónomo'),
               ('C.E.O.', 'ceo'),
               ('  Vice   President - Sales ', 'vice president sales'),
               ('ДИРЕКТОР по продажам', 'директор по продажам'),
               ('销售经理', '销售经理'),
               ('Geschäftsführer/CEO', 'geschäftsführerceo'),
               (U&'Auto\0301nomo', 'autónomo'),
               ('---', NULL),
               ('c. e. o.', 'c e o')) AS x(input, expected)
 WHERE dw_normalize_title(x.input) IS DISTINCT FROM x.expected;
