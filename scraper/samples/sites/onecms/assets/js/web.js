/* web.js - site scripts (ONECMS theme, Báo Bình Thuận) */
var WebControl = WebControl || {};
WebControl.publisherId = 0;
WebControl.f_share = '';
WebControl.loadmore_params = function () { return { type: '24h', keyword: '', publisherId: 0, channelId: 0, eventId: 0, view: 'normal' }; };
function timeAgo(dateString) {
    var then = new Date(dateString.replace(' ', 'T') + '+07:00');
    var s = Math.floor((Date.now() - then.getTime()) / 1000);
    if (isNaN(s)) return '';
    if (s < 60) return 'Vừa xong';
    if (s < 3600) return Math.floor(s / 60) + ' phút trước';
    if (s < 86400) return Math.floor(s / 3600) + ' giờ trước';
    var d = then.getDate(), m = then.getMonth() + 1;
    return (d < 10 ? '0' + d : d) + '/' + (m < 10 ? '0' + m : m) + '/' + then.getFullYear();
}
function refreshTimeAgo(nodes) {
    Array.prototype.forEach.call(nodes, function (el) { var v = el.getAttribute('datetime'); if (v) el.textContent = timeAgo(v); });
}
function activeMenu(link, parent) {
    document.querySelectorAll('.c-menu a').forEach(function (el) {
        var h = el.getAttribute('href');
        if (h && (h === link || h === parent)) el.parentNode.classList.add('active');
    });
}
WebControl.initLoadMore = function () {
    var btn = document.querySelector('.c-more');
    if (!btn) return;
    btn.addEventListener('click', function (e) {
        var p = WebControl.loadmore_params();
        if (!window.fetch) return;
        e.preventDefault();
        fetch('/api/getMoreArticle/' + p.type + '_empty_' + p.publisherId + '_' + p.channelId + '_' + p.eventId)
            .then(function (r) { return r.ok ? r.json() : []; })
            .catch(function () { window.location = btn.getAttribute('href'); });
    });
};
WebControl.commentDetailPage = function () {
    var box = document.querySelector('.onecms__comments textarea');
    if (!box) return;
    box.addEventListener('input', function () {
        var r = document.querySelector('.onecms__remain');
        if (r) r.textContent = Math.max(0, 500 - box.value.length);
    });
};
(function () {
    var el = document.querySelector('.onecms__currentTime');
    if (el) {
        var n = new Date(), days = ['Chủ Nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];
        var d = n.getDate(), m = n.getMonth() + 1;
        el.innerHTML = '<p><b>' + days[n.getDay()] + ',</b> ' + (d < 10 ? '0' + d : d) + '/' + (m < 10 ? '0' + m : m) + '/' + n.getFullYear() + '</p>';
    }
    if (document.querySelector('.is-timeline')) refreshTimeAgo(document.querySelectorAll('.c-time-count span'));
})();
