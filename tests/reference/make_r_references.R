# Independent reference values for the tests (参考值), made with R.
#
# Run from the repository root:  Rscript tests/reference/make_r_references.R
# Needs R with the CRAN packages forecast, brglm2 and spdep (see README.md in this
# folder for the versions used). Writes three CSV files next to this script; the
# Python tests only read those files, so the test suite never needs R.

suppressPackageStartupMessages({
  library(forecast)
  library(brglm2)
  library(spdep)
})

out_dir <- "tests/reference"
fmt <- function(x) trimws(formatC(x, digits = 15, format = "g"))
rows <- list()
add <- function(case, quantity, value, h = NA) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, quantity = quantity,
                                          h = h, value = fmt(value))
}

# ------------------------------------------------------------------ data (real)
customs <- read.csv("data/raw/china_customs_monthly_1983_2013.csv")
monthly <- subset(customs, year >= 2000 & year <= 2012)
y_m <- ts(log(monthly$exports_100m_usd), start = c(2000, 1), frequency = 12)
annual <- aggregate(exports_100m_usd ~ year, data = subset(customs, year >= 1984 & year <= 2012),
                    FUN = sum)
y_a <- ts(log(annual$exports_100m_usd), start = 1984, frequency = 1)

add_forecasts <- function(case, fc) {
  for (i in seq_along(fc$mean)) {
    add(case, "mean", fc$mean[i], i)
    add(case, "lower_80", fc$lower[i, 1], i)
    add(case, "upper_80", fc$upper[i, 1], i)
    add(case, "lower_95", fc$lower[i, 2], i)
    add(case, "upper_95", fc$upper[i, 2], i)
  }
}

# ------------------------------------------------------------------ ARIMA
# forecast::Arima reports sigma2 = sum of squared residuals / (n - d - D*m - k), k the
# number of coefficients; stats::arima's sigma2 (sigma2_ml) is the maximum-likelihood
# estimate
add_arima <- function(case, fit, ml, y, h) {
  add(case, "n", length(y))
  for (p in names(coef(fit))) add(case, p, coef(fit)[[p]])
  add(case, "sigma2", fit$sigma2)
  add(case, "sigma2_ml", ml$sigma2)
  add(case, "loglik", fit$loglik)
  add(case, "aic", fit$aic)
  add_forecasts(case, forecast(fit, h = h, level = c(80, 95)))
}

# airline model ARIMA(0,1,1)(0,1,1)12 on log monthly exports 2000-01..2012-12
add_arima("arima_airline_log_monthly_exports",
          Arima(y_m, order = c(0, 1, 1), seasonal = c(0, 1, 1), method = "ML"),
          arima(y_m, order = c(0, 1, 1), seasonal = c(0, 1, 1), method = "ML"), y_m, 12)

# ARIMA(0,1,1) with drift on log annual exports 1984..2012
add_arima("arima_011_drift_log_annual_exports",
          Arima(y_a, order = c(0, 1, 1), include.drift = TRUE, method = "ML"),
          arima(y_a, order = c(0, 1, 1), xreg = seq_along(y_a), method = "ML"), y_a, 5)

# ------------------------------------------------------------------ ETS
# ets() reports loglik = -0.5 * n * log(SSE) for additive errors (no constants);
# the Gaussian log-likelihood at the MLE of sigma^2 adds -n/2 * (log(2 pi / n) + 1).
add_ets <- function(case, fit, y, h) {
  n <- length(y)
  sse <- sum(residuals(fit)^2)
  add(case, "n", n)
  for (p in intersect(c("alpha", "beta", "gamma", "phi"), names(fit$par))) {
    add(case, p, fit$par[[p]])
  }
  # initial states l, b and s1..sm (s1 the seasonal state one period before the
  # first observation, sm the one m periods before; they sum to zero)
  for (p in names(fit$initstate)) add(case, paste0("initial_", p), fit$initstate[[p]])
  add(case, "sse", sse)
  # ets() reports sigma2 = SSE / (n - number of parameters in fit$par)
  add(case, "n_par", length(fit$par))
  add(case, "sigma2", fit$sigma2)
  add(case, "loglik_ets", fit$loglik)
  add(case, "loglik_gaussian", -0.5 * n * (log(2 * pi) + log(sse / n) + 1))
  add_forecasts(case, forecast(fit, h = h, level = c(80, 95), PI = TRUE))
}

# ETS(A,Ad,N) with smoothing parameters fixed (alpha 0.9, beta 0.3, phi 0.9) on log
# annual exports 1984..2012; only the initial level and trend are estimated
fit <- ets(y_a, model = "AAN", damped = TRUE, alpha = 0.9, beta = 0.3, phi = 0.9,
           opt.crit = "lik")
add_ets("ets_AAdN_fixed_log_annual_exports", fit, y_a, 5)

# ETS(A,Ad,A) estimated freely on log monthly exports 2000-01..2012-12
fit <- ets(y_m, model = "AAA", damped = TRUE, opt.crit = "lik")
add_ets("ets_AAdA_log_monthly_exports", fit, y_m, 12)

# ------------------------------------------------------------------ simple methods
# seasonal naive, random walk with drift, theta (SES with drift) and the mean
add_simple <- function(case, fc, y) {
  add(case, "n", length(y))
  add_forecasts(case, fc)
}
add_simple("snaive_log_monthly_exports", snaive(y_m, h = 24, level = c(80, 95)), y_m)
add_simple("rwf_drift_log_annual_exports", rwf(y_a, h = 5, drift = TRUE, level = c(80, 95)), y_a)
add_simple("thetaf_log_annual_exports", thetaf(y_a, h = 5, level = c(80, 95)), y_a)
add_simple("meanf_log_annual_exports", meanf(y_a, h = 3, level = c(80, 95)), y_a)

write.csv(do.call(rbind, rows), file.path(out_dir, "r_forecast.csv"), row.names = FALSE,
          quote = FALSE)

# ------------------------------------------------------------------ Firth logit
# Endometrial cancer data of Heinze & Schemper (2002), as shipped in brglm2:
# HG (histology grade) on NV (neovasculation, quasi-separating), PI, EH.
data("endometrial", package = "brglm2")
write.csv(endometrial[, c("NV", "PI", "EH", "HG")],
          file.path(out_dir, "endometrial.csv"), row.names = FALSE, quote = FALSE)
fit <- glm(HG ~ NV + PI + EH, family = binomial("logit"), data = endometrial,
           method = "brglmFit", type = "AS_mean")
X <- model.matrix(fit)
p <- fitted(fit)
info <- crossprod(X * sqrt(p * (1 - p)))
loglik <- sum(endometrial$HG * log(p) + (1 - endometrial$HG) * log(1 - p))
penalised <- loglik + 0.5 * as.numeric(determinant(info, logarithm = TRUE)$modulus)
se <- sqrt(diag(solve(info)))
firth <- data.frame(term = c("const", "NV", "PI", "EH"), coef = fmt(coef(fit)),
                    std_err = fmt(se))
write.csv(firth, file.path(out_dir, "r_firth_endometrial.csv"), row.names = FALSE,
          quote = FALSE)
writeLines(c("quantity,value", paste0("loglik,", fmt(loglik)),
             paste0("penalised_loglik,", fmt(penalised))),
           file.path(out_dir, "r_firth_endometrial_loglik.csv"))

# ------------------------------------------------------------------ join counts
# Columbus, Ohio neighbourhoods (Anselin 1988; spdep's oldcol example): 49 units,
# contiguity neighbours COL.nb, HICRIME = crime above 35 per thousand households.
# spdep's joincount.multi gives the joins and their analytic expectation and variance
# under non-free sampling (random permutation of the labels; Cliff & Ord 1981).
data(oldcol, package = "spdep")
lw <- nb2listw(COL.nb, style = "B")
hicrime <- cut(COL.OLD$CRIME, breaks = c(0, 35, 80), labels = c("low", "high"))
jc <- joincount.multi(hicrime, lw)
ids <- rownames(COL.OLD)
pairs <- do.call(rbind, lapply(seq_along(COL.nb), function(i) {
  j <- COL.nb[[i]]
  j <- j[j > i]
  if (length(j)) data.frame(code_a = ids[i], code_b = ids[j]) else NULL
}))
write.csv(pairs, file.path(out_dir, "columbus_pairs.csv"), row.names = FALSE, quote = FALSE)
write.csv(data.frame(code_2010 = ids, hicrime = hicrime == "high"),
          file.path(out_dir, "columbus_hicrime.csv"), row.names = FALSE, quote = FALSE)
jc_rows <- c(bb = "high:high", ww = "low:low", bw = "high:low")
out <- do.call(rbind, lapply(names(jc_rows), function(k) {
  data.frame(join = k, count = fmt(jc[jc_rows[[k]], "Joincount"]),
             expectation = fmt(jc[jc_rows[[k]], "Expected"]),
             variance = fmt(jc[jc_rows[[k]], "Variance"]))
}))
write.csv(out, file.path(out_dir, "r_joincount_columbus.csv"), row.names = FALSE, quote = FALSE)

# ------------------------------------------------------------------ coverage rates and tests
# The real 60 county-level units of Jilin (2010) and their prefectures, with a
# SYNTHETIC coverage map made here (no public map exists): in each prefecture the
# first k units by code are covered, k fixed below; in 2009 the same minus the last
# covered unit of the first three prefectures, plus the last unit of Yanbian.
counties <- read.csv("data/raw/jilin_counties_2010.csv", colClasses = c(code_2010 = "character",
                                                                       prefecture_code = "character"))
counties <- counties[order(counties$prefecture_code, counties$code_2010), ]
k <- c("220100" = 6, "220200" = 5, "220300" = 2, "220400" = 1, "220500" = 4,
       "220600" = 1, "220700" = 3, "220800" = 0, "222400" = 6)
rank_in <- ave(seq_len(nrow(counties)), counties$prefecture_code, FUN = seq_along)
y2010 <- rank_in <= k[counties$prefecture_code]
y2009 <- y2010 & !(rank_in == k[counties$prefecture_code] &
                     counties$prefecture_code %in% c("220100", "220200", "220300"))
last_yanbian <- counties$prefecture_code == "222400" &
  rank_in == max(rank_in[counties$prefecture_code == "222400"])
y2009 <- y2009 | last_yanbian
write.csv(data.frame(code_2010 = counties$code_2010, prefecture_en = counties$prefecture_en,
                     has_zone_2009 = y2009, has_zone_2010 = y2010),
          file.path(out_dir, "jilin_synthetic_coverage.csv"), row.names = FALSE, quote = FALSE)

cov <- list()
addc <- function(quantity, group, value) {
  cov[[length(cov) + 1]] <<- data.frame(quantity = quantity, group = group, value = fmt(value))
}
for (g in c("all units", sort(unique(counties$prefecture_en)))) {
  sel <- if (g == "all units") rep(TRUE, nrow(counties)) else counties$prefecture_en == g
  x <- sum(y2010[sel])
  n <- sum(sel)
  # Wilson score interval (the warning about small counts concerns the test, not it)
  wilson <- suppressWarnings(prop.test(x, n, correct = FALSE))$conf.int
  exact <- binom.test(x, n)$conf.int                      # Clopper-Pearson
  addc("n_covered", g, x)
  addc("n_units", g, n)
  addc("wilson_lower", g, wilson[1])
  addc("wilson_upper", g, wilson[2])
  addc("clopper_pearson_lower", g, exact[1])
  addc("clopper_pearson_upper", g, exact[2])
}
tab <- table(counties$prefecture_en, factor(y2010, levels = c(TRUE, FALSE)))
chi <- suppressWarnings(chisq.test(tab, correct = FALSE))
addc("chi2", "prefectures", chi$statistic)
addc("dof", "prefectures", chi$parameter)
addc("p_chi2", "prefectures", chi$p.value)
set.seed(20101120)
sim <- chisq.test(tab, simulate.p.value = TRUE, B = 99999)
addc("p_monte_carlo_B99999", "prefectures", sim$p.value)
two <- counties$prefecture_en %in% c("Changchun City", "Baishan City")
ft <- fisher.test(table(counties$prefecture_en[two], factor(y2010[two], levels = c(TRUE, FALSE))))
addc("p_fisher", "Changchun City vs Baishan City", ft$p.value)
gained <- sum(!y2009 & y2010)
lost <- sum(y2009 & !y2010)
addc("gained", "2009 to 2010", gained)
addc("lost", "2009 to 2010", lost)
# exact McNemar: two-sided binomial test on the discordant pairs
addc("p_mcnemar_exact", "2009 to 2010", binom.test(lost, gained + lost)$p.value)
write.csv(do.call(rbind, cov), file.path(out_dir, "r_coverage_tests.csv"), row.names = FALSE,
          quote = FALSE)
