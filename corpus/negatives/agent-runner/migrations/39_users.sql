-- migration 20242639903488
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  reset_token_digest bytea,
  api_key_prefix varchar(8)
);
CREATE INDEX users_reset_token_digest_idx ON users (reset_token_digest);
INSERT INTO settings (key, value) VALUES ('password_min_length', '12'), ('build_sha', '0d0f241076262a4a645cb5b8c827d6e80868491f');
