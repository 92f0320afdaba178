#include "pipelines/register_all.hpp"

#include "pipelines/course_traffic/marketing_daily_pipeline.hpp"
#include "pipelines/course_traffic/traffic_sources_pipeline.hpp"
#include "pipelines/course_traffic/user_traffic_pipeline.hpp"
#include "pipelines/habits/habit_records_pipeline.hpp"
#include "pipelines/job_titles/title_data_pipeline.hpp"
#include "pipelines/support_desk/analyst_snapshots_pipeline.hpp"
#include "pipelines/support_desk/calendar_pipeline.hpp"
#include "pipelines/support_desk/case_logs_pipeline.hpp"
#include "pipelines/support_desk/cases_pipeline.hpp"
#include "pipelines/support_desk/priority_sla_pipeline.hpp"
#include "pipelines/support_desk/products_pipeline.hpp"

namespace dp::pipelines {

void register_all_pipelines(pipeline::PipelineRegistry& registry) {
  register_user_traffic_pipeline(registry);
  register_marketing_daily_pipeline(registry);
  register_traffic_sources_pipeline(registry);
  register_title_data_pipeline(registry);
  register_habit_records_pipeline(registry);
  register_analyst_snapshots_pipeline(registry);
  register_cases_pipeline(registry);
  register_case_logs_pipeline(registry);
  register_products_pipeline(registry);
  register_priority_sla_pipeline(registry);
  register_calendar_pipeline(registry);
}

}  // namespace dp::pipelines
