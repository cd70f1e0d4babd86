-- make demo, step 0: the extension and a search_path, as a client would have.
\echo
\echo '== quarantine demo: CREATE EXTENSION quarantine CASCADE'
CREATE EXTENSION quarantine CASCADE;
ALTER DATABASE quarantine_demo SET search_path = quarantine, public;
ALTER DATABASE quarantine_demo SET datestyle = 'ISO, YMD';
ALTER DATABASE quarantine_demo SET timezone = 'Asia/Shanghai';
