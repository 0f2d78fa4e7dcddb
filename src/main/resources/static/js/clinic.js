// The clinic's list: each table sorts by a column when its heading is clicked (again: the other way). The rows
// carry their sort keys (data-sort); without this script the tables stay as the server sorted them (by name).
(function () {
  function key(row, index) {
    var cell = row.children[index];
    return cell ? (cell.getAttribute('data-sort') || cell.textContent || '').trim() : '';
  }

  function sortBy(table, index, type, ascending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, index), y = key(b, index);
      var order = type === 'number' ? (parseFloat(x || 'NaN') || 0) - (parseFloat(y || 'NaN') || 0)
        : x.localeCompare(y);
      if (x === '' && y !== '') { return 1; } // rows without a value stay last either way
      if (y === '' && x !== '') { return -1; }
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var headings = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headings, function (heading, index) {
      var type = heading.getAttribute('data-type');
      if (!type) {
        return;
      }
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.textContent = heading.textContent;
      button.setAttribute('aria-label', 'Sort by ' + heading.textContent);
      heading.textContent = '';
      heading.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = heading.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headings, function (h) { h.removeAttribute('aria-sort'); });
        heading.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        sortBy(table, index, type, ascending);
      });
    });
  });
})();
