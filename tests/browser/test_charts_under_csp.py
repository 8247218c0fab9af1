"""plotly.js draws under the strict Content Security Policy, the way the portal's charts will.

Chromium blocks any <style> element plotly.js makes, so base.html provides the stylesheet it
looks for first (`<link id="plotly.js-style-global">`) and plotly.js adds its rules to that
through the CSSOM. Two rules for chart code follow from the policy, and this test holds them:
- `config: {displayModeBar: false}`: the mode bar makes a <style> element per chart and fails;
- plain text in titles, labels and annotations: plotly's pseudo-HTML (`<b>`, `<i>`) becomes
  `style` attributes, which the policy blocks.
The `page` fixture fails the test on any CSP violation or script error.
"""

import pytest

pytestmark = pytest.mark.browser

DRAW = """() => new Promise((resolve, reject) => {
  setTimeout(() => reject(new Error('plotly.js did not draw within 10 seconds')), 10000);
  const script = document.createElement('script');
  script.src = '/static/vendor/plotly/plotly-basic.min.js';
  script.onerror = () => reject(new Error('plotly.js did not load'));
  script.onload = () => {
    if (typeof Plotly === 'undefined') {
      reject(new Error('plotly.js failed while loading'));
      return;
    }
    const chart = document.createElement('div');
    chart.id = 'probe-chart';
    document.querySelector('main').appendChild(chart);
    Plotly.newPlot(chart, [
      {type: 'bar', x: ['Leicester', 'Nottingham'], y: [92.5, 101.8], name: 'Rate'},
      {type: 'scatter', mode: 'lines', x: ['Leicester', 'Nottingham'], y: [101.5, 101.5],
       name: 'MSG average'},
    ], {
      title: {text: 'Crimes per 1,000 population, April to December 2018'},
      shapes: [{type: 'rect', xref: 'paper', x0: 0, x1: 1, y0: 80, y1: 120,
                fillcolor: '#cccccc', opacity: 0.3, line: {width: 0}}],
      annotations: [{text: 'MSG average 101.5', x: 1, y: 101.5}],
    }, {displayModeBar: false, responsive: true}).then(() => resolve('drawn'), reject);
  };
  document.head.appendChild(script);
})"""


def test_plotly_draws_its_svg_without_breaking_the_policy(signed_in_page):
    page = signed_in_page("chair")
    assert page.evaluate(DRAW) == "drawn"
    chart = page.locator("#probe-chart")
    assert chart.locator("svg.main-svg").count() >= 1
    assert chart.locator(".bars path").count() == 2
    assert chart.locator(".annotation-text").text_content() == "MSG average 101.5"
    # Its rules went into the portal's stylesheet, not into a blocked <style> element.
    rules = page.evaluate("document.getElementById('plotly.js-style-global').sheet.cssRules.length")
    assert rules > 0
    assert page.locator("style").count() == 0
