-- The fencing token of the registry that last wrote (one row, id 1). A registry elected leader holds a token higher
-- than every earlier leader's; each transaction raises the row to its token or, finding a higher one, fails: a
-- deposed leader can change nothing.
CREATE TABLE registry_leader (
  id    INTEGER PRIMARY KEY,
  fence BIGINT NOT NULL
);
