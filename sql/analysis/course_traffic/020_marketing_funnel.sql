-- How does each source's spend turn into impressions, clicks, leads and revenue over all time?
-- One row per source (its current name and channel). ctr = clicks/impressions,
-- lead_rate = leads/clicks, roas = revenue/ad_spend, cost_per_lead = ad_spend/leads, each at
-- full precision (rounding belongs to the report and to the BI tool); NULL where the
-- denominator is 0 or unknown.
CREATE OR REPLACE VIEW analysis.marketing_funnel AS
WITH per_source AS (
  SELECT coalesce(c.traffic_source_key, -1) AS traffic_source_key,
         sum(f.ad_spend) AS ad_spend, sum(f.impressions) AS impressions,
         sum(f.clicks) AS clicks, sum(f.leads) AS leads, sum(f.revenue) AS revenue
    FROM fact_marketing_daily f
    JOIN dim_traffic_source v ON v.traffic_source_key = f.traffic_source_key
    LEFT JOIN dim_traffic_source c
      ON c.business_key = v.business_key AND c.is_current AND c.traffic_source_key <> -1
         AND v.traffic_source_key <> -1
   GROUP BY 1
)
SELECT coalesce(s.source_name, 'source ' || s.source_id) AS source_name,
       s.channel,
       p.ad_spend, p.impressions, p.clicks, p.leads, p.revenue,
       p.clicks::numeric / nullif(p.impressions, 0) AS ctr,
       p.leads::numeric / nullif(p.clicks, 0) AS lead_rate,
       p.ad_spend / nullif(p.leads, 0) AS cost_per_lead,
       p.revenue / nullif(p.ad_spend, 0) AS roas
  FROM per_source p
  JOIN dim_traffic_source s ON s.traffic_source_key = p.traffic_source_key
 ORDER BY 1;
