import FoundationEssentials
import SeedwatchCore

extension TopicsResult: AlertRaising {
    /// The topic alerts in the daemon's terms: journal fields and the `alerts.jsonl` record.
    public var raisedAlerts: [RaisedAlert] {
        alerts.map { alert in
            var fields = [
                "TOPIC_ID": alert.topicID,
                "TOPIC_LABEL": alert.topicLabel,
                "SIMILARITY": CFormat.string("%.3f", alert.similarity),
                "DOCUMENT_ID": alert.documentID,
            ]
            if let previous = alert.previousTopicID { fields["PREVIOUS_TOPIC_ID"] = previous }
            let record = (try? SortedJSONEncoder.encode(alert)).flatMap { JSONValue.parse($0) } ?? .null
            let what = alert.alertClass == .newTopic ? "new topic" : "topic shift"
            return RaisedAlert(
                alertClass: alert.alertClass.rawValue, messageID: alert.messageID,
                message: "\(what) \(alert.topicID): \(alert.topicLabel)", fields: fields, record: record
            )
        }
    }
}
