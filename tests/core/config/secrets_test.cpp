#include "core/config/secrets.hpp"

#include <doctest/doctest.h>

using dp::config::mask_secrets;
using dp::config::mask_url;

TEST_CASE("a URI connection string loses its password and keeps the rest") {
  CHECK(mask_secrets("postgresql://user:s3cret@db.example:5432/app") ==
        "postgresql://user:***@db.example:5432/app");
  CHECK(mask_secrets("postgres://user:s3cret@host/app?sslmode=require") ==
        "postgres://user:***@host/app?sslmode=require");
  CHECK(mask_secrets("postgresql://user@host/app") == "postgresql://user@host/app");
  CHECK(mask_secrets("postgresql://host/app") == "postgresql://host/app");
  CHECK(mask_secrets("postgresql:///app?host=/var/run/postgresql") ==
        "postgresql:///app?host=/var/run/postgresql");
}

TEST_CASE("passwords with URI delimiters in them are still masked") {
  const std::string masked = mask_secrets("postgresql://user:p@ss/w:rd@host:5432/app");
  CHECK(masked == "postgresql://user:***@host:5432/app");
  CHECK(masked.find("ss/w") == std::string::npos);
}

TEST_CASE("password query parameters of a URI are masked") {
  CHECK(mask_secrets("postgresql://host/app?user=u&password=s3cret&sslmode=disable") ==
        "postgresql://host/app?user=u&password=***&sslmode=disable");
  CHECK(mask_secrets("postgresql://u:one@host/app?PASSWORD=two") ==
        "postgresql://u:***@host/app?PASSWORD=***");
}

TEST_CASE("key=value connection strings lose bare and quoted passwords") {
  CHECK(mask_secrets("host=localhost dbname=app user=u password=s3cret") ==
        "host=localhost dbname=app user=u password=***");
  CHECK(mask_secrets("password=s3cret host=localhost") == "password=*** host=localhost");
  CHECK(mask_secrets("host=h password='p w\\'x' port=5432") == "host=h password=*** port=5432");
  CHECK(mask_secrets("host=h password = 'spaced out' user=u") == "host=h password = *** user=u");
  CHECK(mask_secrets("host=h dbname='my db'") == "host=h dbname='my db'");
  CHECK(mask_secrets("") == "");
}

TEST_CASE("malformed key=value text never lets a password through") {
  const std::string masked = mask_secrets("host=h garbage password s3cret");
  CHECK(masked.find("s3cret") == std::string::npos);
  CHECK(mask_secrets("host=h password='unterminated s3cret").find("s3cret") == std::string::npos);
}

TEST_CASE("webhook URLs keep only scheme and host") {
  CHECK(mask_url("https://hooks.example.com/services/T000/B000/XXXXSECRET") ==
        "https://hooks.example.com/***");
  CHECK(mask_url("https://example.com/hook?token=abc") == "https://example.com/***");
  CHECK(mask_url("https://user:pw@example.com/") == "https://user:***@example.com");
  CHECK(mask_url("https://example.com") == "https://example.com");
  CHECK(mask_url("not a url with token") == "***");
  CHECK(mask_url("") == "");
}
