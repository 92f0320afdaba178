#pragma once

#include "core/config/settings.hpp"
#include "core/ingest/ingest_service.hpp"
#include "core/ingest/load_types.hpp"

namespace dp::cmd {

/// The loader's options as the settings say; one place maps settings to the engine.
ingest::LoadOptions load_options_from(const config::Settings& settings);

/// Watch mode's options as the settings say.
ingest::IngestServiceOptions service_options_from(const config::Settings& settings,
                                                  const std::string& conninfo,
                                                  const std::string& display_name);

}  // namespace dp::cmd
