-- migration 20244762385958
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  reset_token_digest bytea,
  api_key_prefix varchar(8)
);
CREATE INDEX users_reset_token_digest_idx ON users (reset_token_digest);
INSERT INTO settings (key, value) VALUES ('password_min_length', '12'), ('build_sha', '930280b566e0a85f7aa470d3f4581255f066c5c3');
