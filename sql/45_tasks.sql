-- Tasks, phones and names (doc/tasks-phones-names.md).
SET search_path = quarantine, public;
SET datestyle = 'ISO, YMD';
SET TimeZone = 'Asia/Shanghai';

-- Deadlines (the district notes): control by the first 17:00 strictly after the issue,
-- verification and phone_check by 12:00 the next local day.
SELECT issued_at,
       task_deadline('control', issued_at)      AS control,
       task_deadline('verification', issued_at) AS verification,
       task_deadline('phone_check', issued_at)  AS phone_check
  FROM (VALUES (timestamptz '2020-04-26 23:59:59'), ('2020-04-27 00:00'),
               ('2020-04-27 08:30'), ('2020-04-27 11:59:59'), ('2020-04-27 12:00'),
               ('2020-04-27 14:00'), ('2020-04-27 16:59:59'), ('2020-04-27 17:00'),
               ('2020-04-27 17:00:01'), ('2020-04-27 23:59:59')) t(issued_at)
 ORDER BY issued_at;

-- The same instants with the session in UTC: the local day is Shanghai's.
SET TimeZone = 'UTC';
SELECT issued_at,
       task_deadline('control', issued_at)      AS control,
       task_deadline('verification', issued_at) AS verification
  FROM (VALUES (timestamptz '2020-04-26 15:59:59+00'), ('2020-04-26 16:00+00'),
               ('2020-04-27 08:59:59+00'), ('2020-04-27 09:00+00')) t(issued_at)
 ORDER BY issued_at;

-- And in another quarantine.timezone.
SET quarantine.timezone = 'Europe/Rome';
SELECT task_deadline('control', '2020-04-27 14:00+00')      AS control_rome,
       task_deadline('verification', '2020-04-27 14:00+00') AS verification_rome;
RESET quarantine.timezone;
RESET TimeZone;

SELECT task_deadline('core', now());

-- Phone kinds.
SELECT phone, phone_kind(phone)
  FROM (VALUES ('13812345678'), ('138 1234 5678'), ('+86 138-1234-5678'),
               ('008613812345678'), ('8613812345678'), ('１３８１２３４５６７８'),
               ('+39 06 1234 5678'), ('+1 415 555 0100'), ('+852 9123 4567'),
               ('00000000000'), ('11111111111'), ('10000000000'), ('12345678901'),
               ('13800000000'), ('13800138000'), ('+86 00000000000'),
               ('12812345678'), ('1381234567'), ('0577-88881234'), ('+28 12345678'),
               ('138 1234 5678 转 1'), ('   '), ('')) p(phone);

-- Name keys and similarity.
SELECT full_name, name_key(full_name)
  FROM (VALUES ('张 三'), ('Ｚｈａｎｇ　Ｓａｎ'), ('ZHANG San'), ('san zhang'),
               ('ZHANG/SAN'), ('约翰·史密斯'), ('José MÜLLER'), ('Jean-Pierre DUPONT')) n(full_name);

SELECT a, b, round(name_similarity(a, b)::numeric, 2) AS similarity, names_similar(a, b)
  FROM (VALUES ('张三', '张 三'), ('张小明', '张晓明'), ('张小明', '张明小'),
               ('张三', '三张'), ('张三', '张四'), ('张三', '张三丰'),
               ('ZHANG San', 'san zhang'), ('ZHANG XIAOMING', 'Zhang Xiao Ming'),
               ('zhangsan', 'zhangshan'), ('Li Wei', 'Li Jie'), ('张三', 'ZHANG SAN')) v(a, b);
