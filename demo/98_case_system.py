# make demo, step 98: a case system's side of the rules (doc/application.md,
# Python): psycopg2 against the demo database, whose connection the
# environment names (PGHOST, PGPORT, PGUSER, PGDATABASE).  A refused write is
# told apart by its rule name (e.diag.constraint_name) and its SQLSTATE
# (e.pgcode), never by the message text, which may be translated.
import psycopg2

conn = psycopg2.connect('', options='-c search_path=quarantine,public')
cur = conn.cursor()


# doc/application.md's helper: register an arrival's control, and switch on
# the rule when the database refuses.
def register_arrival(cur, person_id, entry_id):
    try:
        cur.execute("INSERT INTO control (person_id, entry_id, status) VALUES (%s, %s, 'pending')",
                    (person_id, entry_id))
        cur.connection.commit()
        return 'registered'
    except psycopg2.Error as e:
        cur.connection.rollback()
        if e.diag.constraint_name == 'control_single_open':
            return 'already under control: ' + e.diag.message_detail
        if e.diag.constraint_name == 'control_plan_required':
            return 'name a plan: ' + e.diag.message_hint
        raise


# Any write: what a case system shows its user for each rule it knows.
def write(sql, args):
    try:
        cur.execute(sql, args)
        conn.commit()
        return 'written'
    except psycopg2.Error as e:
        conn.rollback()
        rule = e.diag.constraint_name
        if rule == 'person_identity':
            return 'a known person: ' + e.diag.message_hint
        if rule == 'person_nationality':
            return 'ask for the nationality: ' + e.diag.message_hint
        return '%s %s: %s' % (e.pgcode, rule or '(no rule name)', e.diag.message_primary)


print()
print('== 98 A case system (Python, psycopg2; doc/application.md) switches on the rule name')
# A passenger of a general arrival, under control already (a policy covers
# today's general arrivals: step 50's provincial row).
cur.execute("""SELECT c.person_id, c.entry_id, p.doc_no, p.nationality
                 FROM control c JOIN person p USING (person_id) JOIN entry e USING (entry_id)
                WHERE c.status = 'under_control' AND p.doc_kind = 'passport' AND e.category = 'general'
                ORDER BY c.control_id LIMIT 1""")
person_id, entry_id, doc_no, nationality = cur.fetchone()
print('   register_arrival(person %d, entry %d), a second control for one arrival:' % (person_id, entry_id))
print('     ', register_arrival(cur, person_id, entry_id))
print('   a new person with passport %s of %s, which the district has:' % (doc_no, nationality))
print('     ', write("""INSERT INTO person (doc_kind, doc_no, name, nationality, jurisdiction)
                        VALUES ('passport', %s, 'SOMEONE NEW', %s, '330302')""", (doc_no, nationality)))
print('   a passport without a nationality:')
print('     ', write("""INSERT INTO person (doc_kind, doc_no, name, jurisdiction)
                        VALUES ('passport', 'E96000001', 'NO NATION', '330302')""", ()))
print('   a sex the resident ID disagrees with:')
print('     ', write("""INSERT INTO person (doc_kind, doc_no, name, sex, jurisdiction)
                        VALUES ('resident_id', '330302198506120029', 'DISAGREES', 'M', '330302')""", ()))
conn.close()
